package io.nacgw.core.session;

import io.nacgw.core.store.StoreDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link CoaClaims} over the session store's pool (tables {@code coa_claims} and {@code coa_nodes}, migration V45).
 * {@code INSERT ... ON CONFLICT DO NOTHING} (PostgreSQL and SQLite alike) makes a lost claim an update count of 0,
 * not an error, so a claim is one round trip in autocommit mode.
 */
final class JdbcCoaClaims implements CoaClaims {
    private final StoreDatabase db;
    private final Clock clock;

    JdbcCoaClaims(StoreDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean claim(String sessionId, String changeKey, String node) {
        return update("claiming the CoA of session " + sessionId, "INSERT INTO coa_claims (session_id, change_key, node, "
                + "claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, change_key) DO NOTHING", ps -> {
            ps.setString(1, sessionId);
            ps.setString(2, changeKey);
            ps.setString(3, node);
            ps.setLong(4, clock.millis());
        }) == 1;
    }

    @Override
    public void heartbeat(String node, Instant at, Instant doneAt) {
        update("heartbeat of node " + node, "INSERT INTO coa_nodes (node, heartbeat_at, done_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (node) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, done_at = excluded.done_at", ps -> {
            ps.setString(1, node);
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, doneAt.toEpochMilli());
        });
    }

    @Override
    public Map<String, Beat> nodes() {
        db.ensureUp();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT node, heartbeat_at, done_at FROM coa_nodes");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Beat> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), new Beat(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                        Instant.ofEpochMilli(rs.getLong(3))));
            }
            return out;
        } catch (SQLException e) {
            throw db.failed("reading node heartbeats", e);
        }
    }

    @Override
    public void leave(String node) {
        update("removing node " + node, "DELETE FROM coa_nodes WHERE node = ?", ps -> ps.setString(1, node));
    }

    @Override
    public int pruneBefore(Instant cutoff) {
        return update("pruning CoA claims", "DELETE FROM coa_claims WHERE claimed_at < ?",
                ps -> ps.setLong(1, cutoff.toEpochMilli()));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String what, String sql, Binder binder) {
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failed(what, e);
        }
    }

    @Override
    public String toString() {
        return "JdbcCoaClaims[" + db.description() + "]";
    }
}
