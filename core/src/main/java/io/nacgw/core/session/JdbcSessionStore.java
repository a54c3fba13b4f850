package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link SessionStore} over JDBC (embedded SQLite or PostgreSQL) with its own small HikariCP pool on the compliance store's
 * database, migrated by the same Flyway scripts. Portable SQL: update first, insert when no row matched.
 *
 * <p>Joining an Access-Accept with accounting: a record for an unknown Acct-Session-Id first claims the NAS's
 * Accept-only row with the same decision id (the echoed Class) or MAC. The Accept is recorded asynchronously, so
 * it may also land after the Start: whichever of the two writes comes second folds the Accept-only row into the
 * accounted one ({@link #absorb}); both run that check after their own commit, so the later check always sees both.
 */
final class JdbcSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final int INSERT_RACE_RETRIES = 3;
    private static final String COLUMNS = "id, nas_id, acct_session_id, client, nas_ip, source_address, nas_port, "
            + "nas_port_id, mac, device_id, user_name, framed_ip, class_value, audit_session_id, profile, verdict, "
            + "decision_id, authorized_at, expires_at, started_at, updated_at, stopped_at, terminate_cause, owner_node, "
            + "transport, answer_hash";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM nas_sessions";
    private static final String ACTIVE = "stopped_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
    private static final String NEWER = "updated_at = CASE WHEN updated_at > ? THEN updated_at ELSE ? END";
    // accounting: a null in the record never erases what an earlier record or the Accept stored
    private static final String MERGE_ACCOUNTING = "UPDATE nas_sessions SET client = ?, nas_ip = ?, source_address = ?, "
            + "transport = ?, nas_port = COALESCE(?, nas_port), nas_port_id = COALESCE(?, nas_port_id), mac = COALESCE(?, mac), "
            + "device_id = COALESCE(?, device_id), user_name = COALESCE(?, user_name), "
            + "framed_ip = COALESCE(?, framed_ip), class_value = COALESCE(?, class_value), "
            + "audit_session_id = COALESCE(?, audit_session_id), expires_at = NULL, "
            + "owner_node = COALESCE(?, owner_node), " + NEWER;
    private static final String WHERE_KEY = " WHERE nas_id = ? AND acct_session_id = ?";
    private static final String UPDATE_START = MERGE_ACCOUNTING + ", started_at = ?, stopped_at = NULL, "
            + "terminate_cause = NULL" + WHERE_KEY;
    private static final String UPDATE_INTERIM = MERGE_ACCOUNTING + WHERE_KEY;
    private static final String UPDATE_STOP = MERGE_ACCOUNTING + ", stopped_at = ?, "
            + "terminate_cause = COALESCE(?, terminate_cause)" + WHERE_KEY;
    private static final String INSERT = "INSERT INTO nas_sessions (" + COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    // an Accept: the authorisation's fields replace the old ones; what accounting reported is kept
    private static final String AUTHORIZE = "UPDATE nas_sessions SET client = ?, nas_ip = ?, source_address = ?, "
            + "transport = ?, profile = ?, verdict = ?, decision_id = ?, answer_hash = ?, class_value = ?, "
            + "authorized_at = ?, "
            + "device_id = COALESCE(?, device_id), user_name = COALESCE(user_name, ?), "
            + "nas_port = COALESCE(nas_port, ?), nas_port_id = COALESCE(nas_port_id, ?), "
            + "owner_node = COALESCE(?, owner_node), " + NEWER;
    // package-private: JdbcSessionStoreTest checks their query plans
    static final String AUTHORIZE_ACCOUNTED = AUTHORIZE
            + " WHERE nas_id = ? AND acct_session_id IS NOT NULL AND stopped_at IS NULL AND ";
    static final String AUTHORIZE_ACCEPT_ONLY = AUTHORIZE + ", expires_at = ?, "
            + "started_at = CASE WHEN stopped_at IS NULL AND expires_at > ? THEN started_at ELSE ? END, "
            + "stopped_at = NULL, terminate_cause = NULL WHERE nas_id = ? AND acct_session_id IS NULL AND ";

    private final StoreDatabase db;
    private final StoreEngine engine;
    private final Clock clock;
    /** This node's name, written as the owner of every session it records; null: no owner (one node). */
    private final String node;
    private final CoaClaims claims;

    private JdbcSessionStore(StoreDatabase db, Clock clock, String node) {
        this.db = db;
        this.claims = new JdbcCoaClaims(db, clock);
        this.engine = db.engine();
        this.clock = clock;
        this.node = node;
    }

    static JdbcSessionStore open(StoreSettings s, Clock clock, String node) {
        if (node != null && (node.isBlank() || node.length() > 64)) {
            throw new IllegalArgumentException("node name must be 1-64 characters, got '" + node + "'");
        }
        StoreDatabase db = StoreDatabase.open(s, "sessions", Math.max(2, Math.min(8, s.maxPoolSize())));
        log.info("session store open: {}{}", db.description(), node == null ? "" : " as node " + node);
        return new JdbcSessionStore(db, clock, node);
    }

    static String newId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    // ---- accounting ----

    @Override
    public void apply(SessionEvent e) {
        db.ensureUp();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                if (updateAccounted(c, e) > 0) {
                    return;
                }
                String claim = acceptOnlyFor(c, e.nas().id(), e.mac(), e.decisionId());
                if (claim == null || claim(c, claim, e.acctSessionId()) == 0 || updateAccounted(c, e) == 0) {
                    insert(c, e);
                }
                if (e.mac() != null) {
                    try (Statements st = new Statements(c)) {
                        absorb(st, e.nas().id(), e.mac());
                    }
                }
                return;
            } catch (SQLException ex) {
                // two records of a new session raced to insert: the loser now finds the row and updates it
                if (!engine.isDuplicateKey(ex) || attempt >= INSERT_RACE_RETRIES) {
                    throw db.failed("storing accounting " + e.kind() + " for " + e.nas().id() + "/"
                            + e.acctSessionId(), ex);
                }
            }
        }
    }

    private int updateAccounted(Connection c, SessionEvent e) throws SQLException {
        String sql = e.kind() == SessionEvent.Kind.START ? UPDATE_START
                : e.kind() == SessionEvent.Kind.STOP ? UPDATE_STOP : UPDATE_INTERIM;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long at = e.at().toEpochMilli();
            NasRef n = e.nas();
            int k = 1;
            ps.setString(k++, n.client());
            ps.setString(k++, n.address());
            ps.setString(k++, n.source());
            ps.setString(k++, n.transport().wireName());
            setLong(ps, k++, e.nasPort());
            ps.setString(k++, e.nasPortId());
            setLong(ps, k++, e.mac() == null ? null : e.mac().value());
            ps.setString(k++, device(e.deviceId()));
            ps.setString(k++, e.userName());
            ps.setString(k++, e.framedIp());
            ps.setString(k++, e.classValue());
            ps.setString(k++, e.auditSessionId());
            ps.setString(k++, node);
            ps.setLong(k++, at);
            ps.setLong(k++, at);
            if (e.kind() == SessionEvent.Kind.START) {
                ps.setLong(k++, at);
            } else if (e.kind() == SessionEvent.Kind.STOP) {
                ps.setLong(k++, at);
                setInt(ps, k++, e.terminateCause());
            }
            ps.setString(k++, n.id());
            ps.setString(k, e.acctSessionId());
            return ps.executeUpdate();
        }
    }

    /** The NAS's Accept-only session for this decision id (preferred) or MAC, or null. */
    private static String acceptOnlyFor(Connection c, String nasId, MacAddress mac, String decisionId)
            throws SQLException {
        for (int pass = 0; pass < 2; pass++) {
            boolean byDecision = pass == 0;
            if (byDecision ? decisionId == null : mac == null) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM nas_sessions WHERE nas_id = ? "
                    + "AND acct_session_id IS NULL AND stopped_at IS NULL AND " + (byDecision ? "decision_id = ?"
                    : "mac = ?") + " ORDER BY authorized_at DESC LIMIT 1")) {
                ps.setString(1, nasId);
                if (byDecision) {
                    ps.setString(2, decisionId);
                } else {
                    ps.setLong(2, mac.value());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
        }
        return null;
    }

    private static int claim(Connection c, String id, String acctSessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE nas_sessions SET acct_session_id = ? WHERE id = ? AND acct_session_id IS NULL")) {
            ps.setString(1, acctSessionId);
            ps.setString(2, id);
            return ps.executeUpdate();
        }
    }

    private void insert(Connection c, SessionEvent e) throws SQLException {
        long at = e.at().toEpochMilli();
        boolean stop = e.kind() == SessionEvent.Kind.STOP;
        // an interim or stop for an unseen session: it started no later than this
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            insertRow(ps, newId(), e.nas(), e.acctSessionId(), e.nasPort(), e.nasPortId(), e.mac(), e.deviceId(),
                    e.userName(), e.framedIp(), e.classValue(), e.auditSessionId(), null, null, null, null, null, at,
                    stop ? at : null, stop ? e.terminateCause() : null, null);
        }
    }

    /** Binds and runs {@link #INSERT} on {@code ps} (the caller prepares it, once per batch of Accepts). */
    private void insertRow(PreparedStatement ps, String id, NasRef n, String acctSessionId, Long nasPort,
                                  String nasPortId, MacAddress mac, DeviceGuid deviceId, String userName,
                                  String framedIp, String classValue, String auditSessionId, String profile,
                                  Verdict verdict, String decisionId, Long authorizedAt, Long expiresAt, long at,
                                  Long stoppedAt, Integer terminateCause, Long answerHash) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, n.id());
        ps.setString(3, acctSessionId);
        ps.setString(4, n.client());
        ps.setString(5, n.address());
        ps.setString(6, n.source());
        setLong(ps, 7, nasPort);
        ps.setString(8, nasPortId);
        setLong(ps, 9, mac == null ? null : mac.value());
        ps.setString(10, device(deviceId));
        ps.setString(11, userName);
        ps.setString(12, framedIp);
        ps.setString(13, classValue);
        ps.setString(14, auditSessionId);
        ps.setString(15, profile);
        ps.setString(16, verdict == null ? null : verdict.wireName());
        ps.setString(17, decisionId);
        setLong(ps, 18, authorizedAt);
        setLong(ps, 19, expiresAt);
        ps.setLong(20, at);
        ps.setLong(21, at);
        setLong(ps, 22, stoppedAt);
        setInt(ps, 23, terminateCause);
        ps.setString(24, node);
        ps.setString(25, n.transport().wireName());
        setLong(ps, 26, answerHash);
        ps.executeUpdate();
    }

    /**
     * When the NAS has both an accounted live session and Accept-only rows for {@code mac}, the newest Accept's
     * authorisation moves onto the accounted session (unless it already holds a newer one) and the Accept-only
     * rows go: they described the same session before accounting named it.
     */
    private void absorb(Statements st, String nasId, MacAddress mac) throws SQLException {
        Connection c = st.connection;
        String accounted = null;
        long accountedAuth = Long.MIN_VALUE;
        PreparedStatement find = st.prepare("SELECT id, authorized_at FROM nas_sessions WHERE nas_id = ? "
                + "AND mac = ? AND acct_session_id IS NOT NULL AND stopped_at IS NULL ORDER BY updated_at DESC LIMIT 1");
        find.setString(1, nasId);
        find.setLong(2, mac.value());
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                accounted = rs.getString(1);
                long a = rs.getLong(2);
                accountedAuth = rs.wasNull() ? Long.MIN_VALUE : a;
            }
        }
        if (accounted == null) {
            return;
        }
        List<Session> acceptOnly = query(c, SELECT + " WHERE nas_id = ? AND mac = ? AND acct_session_id IS NULL "
                + "ORDER BY authorized_at DESC", nasId, mac.value());
        if (acceptOnly.isEmpty()) {
            return;
        }
        Session a = acceptOnly.get(0);
        if (a.authorizedAt() != null && a.authorizedAt().toEpochMilli() > accountedAuth) {
            try (PreparedStatement ps = c.prepareStatement(AUTHORIZE + " WHERE id = ?")) {
                int k = bindAuthorize(ps, a.nas(), a.profile(), a.verdict(), a.decisionId(), a.answerHash(),
                        a.classValue(), a.authorizedAt().toEpochMilli(), a.deviceId(), a.userName(), a.nasPort(), a.nasPortId(),
                        a.owner(), a.updatedAt().toEpochMilli());
                ps.setString(k, accounted);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM nas_sessions WHERE id = ? AND acct_session_id IS NULL")) {
            for (Session s : acceptOnly) {
                ps.setString(1, s.id());
                ps.executeUpdate();
            }
        }
    }

    // ---- Access-Accepts ----

    @Override
    public void recordAuthorizations(List<Authorization> batch) {
        if (batch.isEmpty()) {
            return;
        }
        db.ensureUp();
        List<Authorization> acceptOnly = new ArrayList<>();
        try (Connection c = db.connection(); Statements st = new Statements(c)) {
            c.setAutoCommit(false);
            try {
                for (Authorization a : batch) {
                    if (authorize(st, a, AUTHORIZE_ACCOUNTED) > 0) {
                        continue;
                    }
                    if (authorize(st, a, AUTHORIZE_ACCEPT_ONLY) == 0) {
                        long at = a.at().toEpochMilli();
                        insertRow(st.prepare(INSERT), newId(), a.nas(), null, a.nasPort(), a.nasPortId(), a.mac(),
                                a.deviceId(),
                                a.userName(), null, a.classValue(), null, a.profile(), a.verdict(), a.decisionId(),
                                at, a.expiresAt().toEpochMilli(), at, null, null, a.answerHash());
                    }
                    if (a.mac() != null) {
                        endElsewhere(st, a);
                        acceptOnly.add(a);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
            for (Authorization a : acceptOnly) {
                absorb(st, a.nas().id(), a.mac());
            }
        } catch (SQLException ex) {
            throw db.failed("recording " + batch.size() + " Access-Accept(s)", ex);
        }
    }

    /**
     * The endpoint was just authorised on {@code a}'s NAS: its Accept-only sessions on other NASes end (it roamed or
     * moved ports). Sessions accounting reports are left to accounting's Stop.
     */
    private static void endElsewhere(Statements st, Authorization a) throws SQLException {
        PreparedStatement ps = st.prepare("UPDATE nas_sessions SET stopped_at = ? WHERE mac = ? "
                + "AND nas_id <> ? AND acct_session_id IS NULL AND stopped_at IS NULL");
        ps.setLong(1, a.at().toEpochMilli());
        ps.setLong(2, a.mac().value());
        ps.setString(3, a.nas().id());
        ps.executeUpdate();
    }

    /**
     * The statements of one batch on one connection, each prepared once: preparing (SQLite compiles the SQL every
     * time) cost more than executing when every Access-Accept prepared its four statements afresh.
     */
    private static final class Statements implements AutoCloseable {
        final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                prepared.put(sql, ps);
            }
            return ps;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement ps : prepared.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            prepared.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /** Applies {@code a} to the session {@code sql} selects (by MAC, else by device); returns rows changed. */
    private int authorize(Statements st, Authorization a, String sql) throws SQLException {
        String key = a.mac() != null ? "mac = ?" : "mac IS NULL AND device_id = ?";
        PreparedStatement ps = st.prepare(sql + key);
        long at = a.at().toEpochMilli();
        int k = bindAuthorize(ps, a.nas(), a.profile(), a.verdict(), a.decisionId(), a.answerHash(), a.classValue(),
                at, a.deviceId(), a.userName(), a.nasPort(), a.nasPortId(), node, at);
        if (sql.equals(AUTHORIZE_ACCEPT_ONLY)) {
            ps.setLong(k++, a.expiresAt().toEpochMilli());
            ps.setLong(k++, at);
            ps.setLong(k++, at);
        }
        ps.setString(k++, a.nas().id());
        if (a.mac() != null) {
            ps.setLong(k, a.mac().value());
        } else {
            ps.setString(k, device(a.deviceId()));
        }
        return ps.executeUpdate();
    }

    private static int bindAuthorize(PreparedStatement ps, NasRef n, String profile, Verdict verdict,
                                     String decisionId, Long answerHash, String classValue, long authorizedAt,
                                     DeviceGuid deviceId,
                                     String userName, Long nasPort, String nasPortId, String owner,
                                     long updatedAt)
            throws SQLException {
        int k = 1;
        ps.setString(k++, n.client());
        ps.setString(k++, n.address());
        ps.setString(k++, n.source());
        ps.setString(k++, n.transport().wireName());
        ps.setString(k++, profile);
        ps.setString(k++, verdict == null ? null : verdict.wireName());
        ps.setString(k++, decisionId);
        setLong(ps, k++, answerHash);
        ps.setString(k++, classValue);
        ps.setLong(k++, authorizedAt);
        ps.setString(k++, device(deviceId));
        ps.setString(k++, userName);
        setLong(ps, k++, nasPort);
        ps.setString(k++, nasPortId);
        ps.setString(k++, owner);
        ps.setLong(k++, updatedAt);
        ps.setLong(k++, updatedAt);
        return k;
    }

    // ---- ending sessions ----

    @Override
    public int closeAll(String nasId, Instant at) {
        return update("closing the sessions of " + nasId, "UPDATE nas_sessions SET stopped_at = ?, " + NEWER
                + " WHERE nas_id = ? AND stopped_at IS NULL", at.toEpochMilli(), at.toEpochMilli(), at.toEpochMilli(),
                nasId);
    }

    @Override
    public boolean stop(String sessionId, Instant at, Integer terminateCause) {
        return update("stopping session " + sessionId, "UPDATE nas_sessions SET stopped_at = ?, "
                + "terminate_cause = COALESCE(?, terminate_cause), " + NEWER + " WHERE id = ? AND stopped_at IS NULL",
                at.toEpochMilli(), terminateCause, at.toEpochMilli(), at.toEpochMilli(), sessionId) > 0;
    }

    @Override
    public boolean answered(String sessionId, String decisionId, long answerHash) {
        return update("recording the answer of session " + sessionId, "UPDATE nas_sessions SET answer_hash = ? "
                + "WHERE id = ? AND stopped_at IS NULL AND " + (decisionId == null ? "decision_id IS NULL"
                : "decision_id = ?"), decisionId == null ? new Object[]{answerHash, sessionId}
                : new Object[]{answerHash, sessionId, decisionId}) > 0;
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        long t = cutoff.toEpochMilli();
        return update("purging ended sessions", "DELETE FROM nas_sessions WHERE stopped_at < ? "
                + "OR (stopped_at IS NULL AND expires_at < ?)", t, t);
    }

    private int update(String what, String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failed(what, e);
        }
    }

    // ---- reads ----

    @Override
    public Optional<Session> find(String sessionId) {
        return first(read(SELECT + " WHERE id = ?", sessionId));
    }

    @Override
    public Optional<Session> get(String nasId, String acctSessionId) {
        return first(read(SELECT + WHERE_KEY, nasId, acctSessionId));
    }

    private static Optional<Session> first(List<Session> l) {
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Session> activeSessionsForMac(MacAddress mac) {
        return read(SELECT + " WHERE mac = ? AND " + ACTIVE + " ORDER BY updated_at DESC", mac.value(), now());
    }

    @Override
    public List<Session> activeSessionsForDevice(DeviceGuid deviceId) {
        return read(SELECT + " WHERE device_id = ? AND " + ACTIVE + " ORDER BY updated_at DESC", device(deviceId), now());
    }

    @Override
    public List<Session> activeSessionsFor(Collection<DeviceGuid> deviceIds, Collection<MacAddress> macs) {
        List<Object> ids = deviceIds.stream().<Object>map(JdbcSessionStore::device).distinct().toList();
        List<Object> mcs = macs.stream().<Object>map(MacAddress::value).distinct().toList();
        Map<String, Session> found = new LinkedHashMap<>();
        int queries = 0;
        for (int i = 0, j = 0; i < ids.size() || j < mcs.size(); queries++) {
            int ni = Math.min(ids.size() - i, MAX_LOOKUP_KEYS);
            int nm = Math.min(mcs.size() - j, MAX_LOOKUP_KEYS - ni);
            List<Object> args = new ArrayList<>(ids.subList(i, i + ni));
            args.addAll(mcs.subList(j, j + nm));
            args.add(now());
            String where = ni == 0 ? "" : "device_id IN (" + placeholders(ni) + ")";
            where += nm == 0 ? "" : (ni == 0 ? "" : " OR ") + "mac IN (" + placeholders(nm) + ")";
            for (Session s : read(SELECT + " WHERE (" + where + ") AND " + ACTIVE + " ORDER BY updated_at DESC",
                    args.toArray())) {
                found.putIfAbsent(s.id(), s);
            }
            i += ni;
            j += nm;
        }
        List<Session> out = new ArrayList<>(found.values());
        if (queries > 1) { // newest first across the queries too
            out.sort(Comparator.comparing(Session::updatedAt).reversed());
        }
        return out;
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    @Override
    public List<Session> list(SessionFilter f) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.nas() != null) {
            String bare = NasRef.canonicalAddress(f.nas());
            sql.append(" AND (nas_id IN (?, ?, ?, ?) OR nas_ip = ? OR client = ?)");
            args.addAll(List.of(f.nas(), "ip:" + bare, "ipv6:" + bare, "id:" + f.nas(), bare, f.nas()));
        }
        if (f.mac() != null) {
            sql.append(" AND mac = ?");
            args.add(f.mac().value());
        }
        if (f.deviceId() != null) {
            sql.append(" AND device_id = ?");
            args.add(device(f.deviceId()));
        }
        if (f.profile() != null) {
            sql.append(" AND profile = ?");
            args.add(f.profile());
        }
        if (f.activeOnly()) {
            sql.append(" AND ").append(ACTIVE);
            args.add(now());
        }
        sql.append(" ORDER BY updated_at DESC LIMIT ?");
        args.add(f.limit());
        return read(sql.toString(), args.toArray());
    }

    @Override
    public List<Session> activeSessionsAfter(String afterId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return afterId == null
                ? read(SELECT + " WHERE " + ACTIVE + " ORDER BY id LIMIT ?", now(), limit)
                : read(SELECT + " WHERE id > ? AND " + ACTIVE + " ORDER BY id LIMIT ?", afterId, now(), limit);
    }

    @Override
    public long activeCount() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM nas_sessions WHERE " + ACTIVE)) {
            ps.setLong(1, now());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw db.failed("counting active sessions", e);
        }
    }

    private long now() {
        return clock.millis();
    }

    private List<Session> read(String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection()) {
            return query(c, sql, args);
        } catch (SQLException e) {
            throw db.failed("session query", e);
        }
    }

    private static List<Session> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.INTEGER);
            } else if (a instanceof Long) {
                ps.setLong(i + 1, (Long) a);
            } else if (a instanceof Integer) {
                ps.setInt(i + 1, (Integer) a);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static Session row(ResultSet rs) throws SQLException {
        NasRef nas = new NasRef(rs.getString(2), rs.getString(4), rs.getString(5), rs.getString(6),
                NasTransport.fromWire(rs.getString(25)));
        Long mac = getLong(rs, 9);
        String dev = rs.getString(10);
        String verdict = rs.getString(16);
        Integer cause = rs.getInt(23);
        cause = rs.wasNull() ? null : cause;
        return new Session(rs.getString(1), nas, rs.getString(3), getLong(rs, 7), rs.getString(8),
                mac == null ? null : MacAddress.of(mac), dev == null ? null : DeviceGuid.intune(dev),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                verdict == null ? null : Verdict.fromWire(verdict), rs.getString(17), instant(getLong(rs, 18)),
                instant(getLong(rs, 19)), Instant.ofEpochMilli(rs.getLong(20)), Instant.ofEpochMilli(rs.getLong(21)),
                instant(getLong(rs, 22)), cause, rs.getString(24), getLong(rs, 26));
    }

    private static Long getLong(ResultSet rs, int k) throws SQLException {
        long v = rs.getLong(k);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static String device(DeviceGuid d) {
        return d == null ? null : d.uuid().toString();
    }

    private static void setLong(PreparedStatement ps, int k, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(k, Types.BIGINT);
        } else {
            ps.setLong(k, v);
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
    public CoaClaims claims() {
        return claims;
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
