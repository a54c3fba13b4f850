package io.nacgw.core.cluster;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.store.DedicatedConnection;
import io.nacgw.core.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync leader among the nodes on one PostgreSQL store: the node holding a session-level advisory lock on a
 * connection of its own (not from the pool). Every {@code checkInterval} a follower tries the lock and reads who
 * holds it (the holder's {@code application_name} carries its node name); the leader checks it still holds it.
 * When the leader's process dies its connection closes, the lock goes with it, and another node takes it at its
 * next check. The lock is keyed by the schema, so clusters on separate schemas of one database do not interfere.
 * The connection asks the server to probe it with TCP keepalives, so a leader cut off by a network partition
 * loses the lock within seconds on the server side too.
 */
public final class LeaderElection implements ClusterRole, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    /** First key of the advisory lock ("nacg"); the second is derived from the schema. */
    static final int LOCK_CLASS = 0x6e616367;
    /** The election connection's {@code application_name}: this prefix and the node name. */
    static final String APPLICATION_PREFIX = "nacgw-node ";
    private static final String SCHEMA_KEY = "(hashtext(current_schema()) & 2147483647)";
    private static final String HOLDER = "FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = " + LOCK_CLASS
            + " AND l.objid = " + SCHEMA_KEY + "::oid AND l.objsubid = 2 AND l.granted"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private final StoreSettings store;
    private final ClusterSettings settings;
    private final Clock clock;
    private final Runnable onElected;
    private final Thread thread;
    private final AtomicLong elections = new AtomicLong();
    private final AtomicLong losses = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean leader;
    private volatile String leaderName;
    private volatile Instant leaderSince;
    private volatile String problem;
    private volatile Instant lastCheck;
    /** Only the election thread (and start, before it runs) touches it. */
    private Connection connection;

    private LeaderElection(StoreSettings store, ClusterSettings settings, Clock clock, Runnable onElected) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.onElected = onElected;
        this.thread = DaemonThreads.thread(this::run, "nacgw-leader-election");
    }

    /**
     * Checks once now (so a lone node leads as soon as this returns) and then every check interval on its own
     * thread. {@code onElected} runs on that thread each time this node becomes the leader.
     */
    public static LeaderElection start(StoreSettings store, ClusterSettings settings, Clock clock, Runnable onElected) {
        if (!store.isPostgres()) {
            throw new IllegalArgumentException("leader election needs a jdbc:postgresql: store");
        }
        LeaderElection e = new LeaderElection(store, settings, clock, onElected);
        e.checkSafely();
        e.thread.start();
        return e;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(settings.checkInterval().toMillis());
            } catch (InterruptedException e) {
                break;
            }
            if (running) {
                checkSafely();
            }
        }
    }

    private void checkSafely() {
        try {
            check();
            problem = null;
        } catch (SQLException | RuntimeException e) {
            if (!running) {
                return;
            }
            problem = e.getMessage();
            leaderName = null;
            if (leader) {
                leader = false;
                losses.incrementAndGet();
                log.warn("lost sync leadership (node {}): {}", settings.nodeName(), e.getMessage());
            } else {
                log.warn("leader election: {} (retrying every {})", e.getMessage(), settings.checkInterval());
            }
            closeConnection();
        } finally {
            lastCheck = clock.instant();
        }
    }

    private void check() throws SQLException {
        if (connection == null) {
            connection = connect();
        }
        if (leader) {
            if (!holdsLock(connection)) {
                throw new SQLException("the advisory lock is no longer held by this connection");
            }
            return;
        }
        if (tryLock(connection)) {
            leader = true;
            leaderSince = clock.instant();
            leaderName = settings.nodeName();
            elections.incrementAndGet();
            log.info("this node ({}) is now the sync leader", settings.nodeName());
            try {
                onElected.run();
            } catch (RuntimeException e) {
                log.warn("after becoming the leader: {}", e.toString());
            }
        } else {
            leaderName = holderName(connection).orElse(null);
        }
    }

    private Connection connect() throws SQLException {
        int timeout = (int) Math.max(5, 2 * settings.checkInterval().toSeconds());
        Connection c = DedicatedConnection.open(store, APPLICATION_PREFIX + settings.nodeName(), timeout);
        try (Statement st = c.createStatement()) {
            // the server notices a vanished leader (partition, power loss) in ~10 s instead of hours
            st.execute("SET tcp_keepalives_idle = 5");
            st.execute("SET tcp_keepalives_interval = 2");
            st.execute("SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
            DedicatedConnection.closeQuietly(c);
            throw e;
        }
        return c;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", " + SCHEMA_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean holdsLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) " + HOLDER + " AND l.pid = pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** The node name of the connection holding the lock, if any. */
    static Optional<String> holderName(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.application_name " + HOLDER.replace("FROM pg_locks l",
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String app = rs.getString(1);
            return Optional.of(app != null && app.startsWith(APPLICATION_PREFIX)
                    ? app.substring(APPLICATION_PREFIX.length()) : String.valueOf(app));
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public String nodeName() {
        return settings.nodeName();
    }

    @Override
    public Optional<String> leaderName() {
        return Optional.ofNullable(leaderName);
    }

    /** What {@code /sync/status} and {@code /health} show. */
    public Status status() {
        return new Status(settings.nodeName(), leader, leaderName, leader ? leaderSince : null, problem, lastCheck,
                elections.get(), losses.get());
    }

    /**
     * A snapshot of the election.
     *
     * @param nodeName    this node
     * @param leader      whether this node leads
     * @param leaderName  the leader as last seen (null: none known)
     * @param leaderSince when this node became the leader (null unless leading)
     * @param problem     why the last check failed (null: it succeeded)
     * @param lastCheck   when the last check ended
     * @param elections   times this node became the leader
     * @param losses      times this node lost leadership to an error
     */
    public record Status(String nodeName, boolean leader, String leaderName, Instant leaderSince, String problem,
                         Instant lastCheck, long elections, long losses) {
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        DedicatedConnection.closeQuietly(c); // the lock goes with it
    }

    /** Gives up leadership (the lock goes with the connection) and stops checking. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leader = false;
        closeConnection();
    }

    @Override
    public String toString() {
        return "LeaderElection[" + settings.nodeName() + (leader ? ", leader" : ", follower") + "]";
    }
}
