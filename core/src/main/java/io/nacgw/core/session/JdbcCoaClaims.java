package io.nacgw.core.session;

import io.nacgw.core.store.StoreDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link CoaClaims} over the session store's pool (tables {@code coa_claims} and {@code coa_nodes}, migration V45).
 * {@code INSERT ... ON CONFLICT DO NOTHING} (PostgreSQL and SQLite alike) makes a lost claim an update count of 0,
 * not an error, so a claim is one round trip in autocommit mode.
 */
final class JdbcCoaClaims implements CoaClaims {
    private final StoreDatabase db;
    private final Clock clock;

    /** Rows of one claiming INSERT (4 parameters each: well under either engine's parameter limit). */
    static final int CLAIMS_PER_STATEMENT = 500;

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

    /**
     * One multi-row {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} per {@value #CLAIMS_PER_STATEMENT} claims
     * (PostgreSQL, and SQLite from 3.35), all in one transaction: the rows returned are the claims won.
     */
    @Override
    public Set<Claim> claimAll(Collection<Claim> claims, String node) {
        List<Claim> todo = List.copyOf(new LinkedHashSet<>(claims));
        Set<Claim> won = new HashSet<>();
        if (todo.isEmpty()) {
            return won;
        }
        db.ensureUp();
        long now = clock.millis();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                for (int from = 0; from < todo.size(); from += CLAIMS_PER_STATEMENT) {
                    List<Claim> part = todo.subList(from, Math.min(todo.size(), from + CLAIMS_PER_STATEMENT));
                    String sql = "INSERT INTO coa_claims (session_id, change_key, node, claimed_at) VALUES "
                            + String.join(",", Collections.nCopies(part.size(), "(?, ?, ?, ?)"))
                            + " ON CONFLICT (session_id, change_key) DO NOTHING RETURNING session_id, change_key";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 0;
                        for (Claim k : part) {
                            ps.setString(++i, k.sessionId());
                            ps.setString(++i, k.changeKey());
                            ps.setString(++i, node);
                            ps.setLong(++i, now);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                won.add(new Claim(rs.getString(1), rs.getString(2)));
                            }
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return won;
        } catch (SQLException e) {
            throw db.failed("claiming " + todo.size() + " CoA", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) { // the connection is broken: the transaction is gone with it
        }
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
