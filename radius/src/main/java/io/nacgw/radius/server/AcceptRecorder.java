package io.nacgw.radius.server;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.log.LogThrottle;
import io.nacgw.core.session.Authorization;
import io.nacgw.core.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records Access-Accepts in the session table off the request path: the event loop only offers to a bounded
 * queue (never waits); one thread writes batches of up to {@link #BATCH} per transaction. A full queue or a failed
 * write drops the records, counted and logged at most once per 10 s: the Accept itself was already sent, and the
 * NAS's accounting (when on) still builds the session.
 */
final class AcceptRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcceptRecorder.class);
    static final int BATCH = 256;

    private final SessionStore sessions;
    private final BlockingQueue<Authorization> queue;
    private final Thread writer;
    private final LongAdder recorded = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LogThrottle warn;
    private final Object idle = new Object();
    /** Records queued or being written: what {@link #awaitIdle} waits for. */
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closing;

    AcceptRecorder(SessionStore sessions, int capacity, Clock clock) {
        this.sessions = sessions;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.warn = new LogThrottle(Duration.ofSeconds(10), () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        this.writer = DaemonThreads.thread(this::run, "nacgw-accept-recorder");
        writer.start();
    }

    /** Queues {@code a} for writing; never blocks. */
    void record(Authorization a) {
        pending.incrementAndGet();
        if (closing || !queue.offer(a)) {
            pending.decrementAndGet();
            drop(1, "the session record queue is full (radius.sessionQueue)");
        }
    }

    private void run() {
        List<Authorization> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Authorization first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                pending.addAndGet(-batch.size());
                batch.clear();
                signalIdle();
            }
        }
    }

    private void write(List<Authorization> batch) {
        try {
            sessions.recordAuthorizations(batch);
            recorded.add(batch.size());
        } catch (RuntimeException e) {
            drop(batch.size(), "writing to the session table failed: " + e.getMessage());
        }
    }

    private void drop(int n, String why) {
        dropped.add(n);
        if (warn.admit() >= 0) {
            log.warn("Access-Accept session record(s) dropped ({} so far): {}", dropped.sum(), why);
        }
    }

    private void signalIdle() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Waits until every queued record is written (or dropped); false when {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    long recorded() {
        return recorded.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    /** Writes what is queued (up to 10 s), then stops; later records are dropped. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("Access-Accept session records still being written after 10 s; abandoning {}", queue.size());
            writer.interrupt();
        }
    }
}
