package io.nacgw.core.store;

import io.nacgw.core.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Circuit breaker in front of the database. A failure that says the database cannot be reached (no connection
 * within the pool's timeout, a refused or broken connection, the server shutting down, a disk I/O error) opens it:
 * from then on every operation fails at once with {@link StoreUnavailableException} instead of waiting for a
 * connection, so callers answer "retry later" in milliseconds and their threads stay free for reads. While open, a
 * probe asks the database every {@code probeInterval}; the first success closes it.
 */
final class StoreBreaker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreBreaker.class);

    /** One round trip to the database; throws when it is still unreachable. */
    interface Probe {
        void check() throws SQLException;
    }

    private final Probe probe;
    private final Duration probeInterval;
    private final Clock clock;
    private final ScheduledExecutorService prober;
    private volatile StoreHealth health = StoreHealth.UP;
    private ScheduledFuture<?> probing;

    StoreBreaker(String name, Probe probe, Duration probeInterval, Clock clock) {
        this.probe = probe;
        this.probeInterval = probeInterval;
        this.clock = clock;
        this.prober = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-probe"));
    }

    StoreHealth health() {
        return health;
    }

    int retryAfterSeconds() {
        return (int) Math.max(1, (probeInterval.toMillis() + 999) / 1000);
    }

    /** Throws {@link StoreUnavailableException} at once while the breaker is open. */
    void ensureUp() {
        StoreHealth h = health;
        if (!h.up()) {
            throw new StoreUnavailableException("the store is unreachable since " + h.since() + " (" + h.reason()
                    + "); retry in " + retryAfterSeconds() + " s", retryAfterSeconds(), null);
        }
    }

    /** The exception to throw for {@code e}; an outage opens the breaker and becomes a {@link StoreUnavailableException}. */
    StoreException failed(String what, SQLException e) {
        if (isOutage(e)) {
            open(firstLine(e));
            return new StoreUnavailableException(what + " failed: the store is unreachable (" + firstLine(e) + ")",
                    retryAfterSeconds(), e);
        }
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }

    synchronized void open(String reason) {
        if (!health.up() || prober.isShutdown()) {
            return;
        }
        health = new StoreHealth(false, reason, clock.instant());
        log.warn("store unreachable, refusing writes until a probe succeeds (every {} s): {}", retryAfterSeconds(), reason);
        probing = prober.scheduleWithFixedDelay(this::probeOnce, probeInterval.toMillis(), probeInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One probe (the scheduler's task; tests call it directly). */
    void probeOnce() {
        try {
            probe.check();
        } catch (SQLException | RuntimeException e) {
            return; // still down; the next probe follows
        }
        synchronized (this) {
            if (probing != null) {
                probing.cancel(false);
                probing = null;
            }
            log.info("store reachable again after {} s", Duration.between(health.since(), clock.instant()).toSeconds());
            health = StoreHealth.UP;
        }
    }

    /** True when {@code e} (or a cause) says the database cannot be reached, not that one statement was wrong. */
    static boolean isOutage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true; // the pool found no live connection within its timeout
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true; // connection exception; PostgreSQL shutting down or crashed
                }
                if (t.getClass().getName().equals("org.sqlite.SQLiteException")) {
                    int code = ((SQLException) t).getErrorCode() & 0xff;
                    if (code == 10 || code == 13 || code == 14) {
                        return true; // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the disk, not the statement
                    }
                }
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public synchronized void close() {
        prober.shutdownNow();
    }
}
