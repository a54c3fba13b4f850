package io.nacgw.radius.server;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the session table bounded: once an hour, on its own thread, deletes sessions that ended (Stop,
 * Accounting-On/Off, or an Access-Accept's lifetime without accounting) longer than {@code radius.sessionRetention}
 * ago. Live sessions are never touched.
 */
final class SessionPurger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionPurger.class);
    static final Duration INTERVAL = Duration.ofHours(1);

    private final SessionStore sessions;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("nacgw-session-purge"));

    SessionPurger(SessionStore sessions, Duration retention, Clock clock) {
        this.sessions = sessions;
        this.retention = retention;
        this.clock = clock;
        timer.scheduleWithFixedDelay(this::purgeQuietly, INTERVAL.toMinutes(), INTERVAL.toMinutes(), TimeUnit.MINUTES);
    }

    /** Deletes what ended before now − retention; returns how many. */
    int purge() {
        int n = sessions.purgeEndedBefore(clock.instant().minus(retention));
        if (n > 0) {
            log.info("purged {} session(s) that ended more than {} ago (radius.sessionRetention)", n, retention);
        }
        return n;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("purging ended sessions failed (retried in {}): {}", INTERVAL, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
