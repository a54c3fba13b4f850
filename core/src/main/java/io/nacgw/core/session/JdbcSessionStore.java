package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreDatabase;
import io.nacgw.core.store.StoreEngine;
import io.nacgw.core.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link SessionStore} over JDBC (embedded SQLite or PostgreSQL) with its own small HikariCP pool on the compliance store's
 * database, migrated by the same Flyway scripts. Portable SQL: update first, insert when no row matched.
 */
final class JdbcSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final int INSERT_RACE_RETRIES = 3;
    private static final String COLUMNS = "nas, acct_session_id, mac, device_id, user_name, framed_ip, class_value, "
            + "audit_session_id, nas_address, started_at, updated_at, stopped_at, terminate_cause";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM radius_sessions";
    /** {@code GREATEST(updated_at, ?)} in SQL both engines know (SQLite has no GREATEST; PostgreSQL no scalar MAX). */
    private static final String LATER_UPDATED_AT = "CASE WHEN updated_at > ? THEN updated_at ELSE ? END";
    // a null in the event never erases what an earlier record stored; updated_at only moves forward
    private static final String MERGE_FIELDS = "mac = COALESCE(?, mac), device_id = COALESCE(?, device_id), "
            + "user_name = COALESCE(?, user_name), framed_ip = COALESCE(?, framed_ip), "
            + "class_value = COALESCE(?, class_value), audit_session_id = COALESCE(?, audit_session_id), "
            + "nas = ?, updated_at = " + LATER_UPDATED_AT;
    private static final String UPDATE_START = "UPDATE radius_sessions SET " + MERGE_FIELDS
            + ", started_at = ?, stopped_at = NULL, terminate_cause = NULL WHERE nas_address = ? AND acct_session_id = ?";
    private static final String UPDATE_INTERIM = "UPDATE radius_sessions SET " + MERGE_FIELDS
            + " WHERE nas_address = ? AND acct_session_id = ?";
    private static final String UPDATE_STOP = "UPDATE radius_sessions SET " + MERGE_FIELDS
            + ", stopped_at = ?, terminate_cause = COALESCE(?, terminate_cause) WHERE nas_address = ? AND acct_session_id = ?";
    private static final String INSERT = "INSERT INTO radius_sessions (" + COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final StoreDatabase db;
    private final StoreEngine engine;

    private JdbcSessionStore(StoreDatabase db) {
        this.db = db;
        this.engine = db.engine();
    }

    static JdbcSessionStore open(StoreSettings s) {
        StoreDatabase db = StoreDatabase.open(s, "nacgw-sessions", Math.max(1, Math.min(8, s.maxPoolSize())));
        log.info("session store open: {}", db.description());
        return new JdbcSessionStore(db);
    }

    @Override
    public void apply(SessionEvent e) {
        db.ensureUp();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                if (update(c, e) == 0) {
                    insert(c, e);
                }
                return;
            } catch (SQLException ex) {
                // two records of a new session raced to insert: the loser now finds the row and updates it
                if (!engine.isDuplicateKey(ex) || attempt >= INSERT_RACE_RETRIES) {
                    throw db.failed("storing accounting " + e.kind() + " for " + e.nasAddress() + "/"
                            + e.acctSessionId(), ex);
                }
            }
        }
    }

    private int update(Connection c, SessionEvent e) throws SQLException {
        String sql = e.kind() == SessionEvent.Kind.START ? UPDATE_START
                : e.kind() == SessionEvent.Kind.STOP ? UPDATE_STOP : UPDATE_INTERIM;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int k = bindMerge(ps, e);
            if (e.kind() == SessionEvent.Kind.START) {
                ps.setLong(k++, e.at().toEpochMilli());
            } else if (e.kind() == SessionEvent.Kind.STOP) {
                ps.setLong(k++, e.at().toEpochMilli());
                setInt(ps, k++, e.terminateCause());
            }
            ps.setString(k++, e.nasAddress());
            ps.setString(k, e.acctSessionId());
            return ps.executeUpdate();
        }
    }

    private int bindMerge(PreparedStatement ps, SessionEvent e) throws SQLException {
        int k = 1;
        if (e.mac() == null) {
            ps.setNull(k++, Types.BIGINT);
        } else {
            ps.setLong(k++, e.mac().value());
        }
        engine.setUuid(ps, k++, e.deviceId() == null ? null : e.deviceId().uuid());
        ps.setString(k++, e.userName());
        ps.setString(k++, e.framedIp());
        ps.setString(k++, e.classValue());
        ps.setString(k++, e.auditSessionId());
        ps.setString(k++, e.nas());
        ps.setLong(k++, e.at().toEpochMilli());
        ps.setLong(k++, e.at().toEpochMilli());
        return k;
    }

    private void insert(Connection c, SessionEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            long at = e.at().toEpochMilli();
            ps.setString(1, e.nas());
            ps.setString(2, e.acctSessionId());
            if (e.mac() == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, e.mac().value());
            }
            engine.setUuid(ps, 4, e.deviceId() == null ? null : e.deviceId().uuid());
            ps.setString(5, e.userName());
            ps.setString(6, e.framedIp());
            ps.setString(7, e.classValue());
            ps.setString(8, e.auditSessionId());
            ps.setString(9, e.nasAddress());
            ps.setLong(10, at); // an interim or stop for an unseen session: it started no later than this
            ps.setLong(11, at);
            if (e.kind() == SessionEvent.Kind.STOP) {
                ps.setLong(12, at);
            } else {
                ps.setNull(12, Types.BIGINT);
            }
            setInt(ps, 13, e.kind() == SessionEvent.Kind.STOP ? e.terminateCause() : null);
            ps.executeUpdate();
        }
    }

    private static void setInt(PreparedStatement ps, int k, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(k, Types.INTEGER);
        } else {
            ps.setInt(k, v);
        }
    }

    @Override
    public int closeAll(String nasAddress, Instant at) {
        db.ensureUp();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE radius_sessions SET stopped_at = ?, "
                     + "updated_at = " + LATER_UPDATED_AT + " WHERE nas_address = ? AND stopped_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, nasAddress);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failed("closing the sessions of " + nasAddress, e);
        }
    }

    @Override
    public Optional<Session> get(String nasAddress, String acctSessionId) {
        List<Session> l = query(SELECT + " WHERE nas_address = ? AND acct_session_id = ?", nasAddress, acctSessionId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Session> liveByMac(MacAddress mac) {
        return query(SELECT + " WHERE mac = ? AND stopped_at IS NULL ORDER BY updated_at DESC", mac.value());
    }

    @Override
    public List<Session> liveByDevice(DeviceGuid deviceId) {
        return query(SELECT + " WHERE device_id = ? AND stopped_at IS NULL ORDER BY updated_at DESC", deviceId.uuid());
    }

    @Override
    public long liveCount() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM radius_sessions WHERE stopped_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw db.failed("counting live sessions", e);
        }
    }

    @Override
    public int purgeStoppedBefore(Instant cutoff) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM radius_sessions WHERE stopped_at < ?")) {
            ps.setLong(1, cutoff.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failed("purging stopped sessions", e);
        }
    }

    private List<Session> query(String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            engine.bind(ps, args);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("session query", e);
        }
    }

    private Session read(ResultSet rs) throws SQLException {
        long mac = rs.getLong(3);
        MacAddress m = rs.wasNull() ? null : MacAddress.of(mac);
        UUID dev = engine.getUuid(rs, 4);
        long stopped = rs.getLong(12);
        Instant stoppedAt = rs.wasNull() ? null : Instant.ofEpochMilli(stopped);
        int cause = rs.getInt(13);
        Integer terminateCause = rs.wasNull() ? null : cause;
        return new Session(rs.getString(1), rs.getString(2), m,
                dev == null ? null : DeviceGuid.of(IdentifierKind.INTUNE_ID, dev), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)), stoppedAt, terminateCause);
    }

    @Override
    public void close() {
        db.close();
        log.info("session store closed: {}", db.description());
    }

    @Override
    public String toString() {
        return "JdbcSessionStore[" + db.description() + "]";
    }
}
