package io.nacgw.radius.server;

import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.log.LogThrottle;
import io.nacgw.core.session.Authorization;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Records Access-Accepts in the session table off the request path: the event loop only offers to a bounded
 * queue (never waits); one thread writes batches of up to {@link #BATCH} per transaction. A full queue or a failed
 * write drops the records, counted and logged at most once per 10 s: the Accept itself was already sent, and the
 * NAS's accounting (when on) still builds the session.
 * <p>
 * When the writer finds fewer than {@link #BATCH} queued it waits up to {@link #LINGER} for more before it writes:
 * with NASes keeping 16 requests outstanding the writer otherwise woke for nearly every Accept and committed
 * batches of one or two, and a commit (SQLite writes every page the transaction touched to its log) cost as much as
 * the statements. A session is then in the table up to {@link #LINGER} later; {@link #awaitIdle} and {@link #close}
 * cut the wait short. {@link #writes()} and {@link #written()} give the mean batch.
 * <p>
 * An Accept that repeats the last one written for its MAC (same NAS, port, device, user, profile and verdict) less
 * than {@link #COALESCE} ago (and within half its lifetime) is not written again: the session table already holds
 * that session. Without this, every Accept was one SQLite write on a second thread, which cost more CPU than the
 * whole RADIUS event loop when NASes re-authenticate the same endpoints (bench/radius-vs-freeradius.sh). The stored
 * session then keeps the earlier Class, decision id and expiry (at most {@link #COALESCE} older). The memory of what
 * was written lives on the writer thread only, bounded to {@link #MEMO_ENTRIES} MACs (least recently written go).
 * <p>
 * When the session ends some other way (Accounting-Stop, Accounting-On/Off, an operator's Disconnect, a CoA the NAS
 * acknowledged, a NAK 503), {@link #sessionEnded} makes the recorder forget the MAC: the re-authentication's Accept
 * repeats the last one written, and without that it would not be written, so a NAS without accounting would leave
 * the session table without the new session. An Accept already held back from the end's time on is written then.
 * <p>
 * <b>Answering comes first.</b> While the RADIUS ports have more work than CPU ({@link Saturation}: they shed
 * datagrams, or a backlog waits in their sockets, at a look within the last {@link #SHED_MEMORY}), the writer works
 * at most {@link #SHARE_WHILE_SHEDDING} of the wall-clock time: after each transaction it pauses three times as long
 * as the transaction took. Otherwise the scheduler gives it as much CPU as the event loop that answers (a session
 * row cost about four requests' worth on the embedded store), and under an overload half the machine went to
 * recording Accepts that the full queue then dropped anyway, while requests that could have been answered were shed
 * (bench/radius-overload.sh). Measured in wall-clock time, the pause also grows when the writer had to wait for a
 * CPU. What the queue cannot hold meanwhile is dropped and counted, as before; the NAS's accounting still builds
 * those sessions. {@link #pausedNanos()} is the time given up.
 */
final class AcceptRecorder implements SessionEndListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcceptRecorder.class);
    static final int BATCH = 256;
    /** How long an Accept identical to the last one written for its MAC is taken as already recorded. */
    static final Duration COALESCE = Duration.ofSeconds(10);
    /** MACs whose last written Accept is remembered. */
    static final int MEMO_ENTRIES = 65_536;
    /** How long the writer waits for a batch to fill before it writes what it has. */
    static final Duration LINGER = Duration.ofMillis(5);
    /** The share of wall-clock time the writer works while the RADIUS ports are saturated. */
    static final double SHARE_WHILE_SHEDDING = 0.25;
    /** How long after the last look that found them saturated the ports still count as saturated. */
    static final Duration SHED_MEMORY = Duration.ofSeconds(1);
    /** How often the writer looks (a look may read /proc). */
    static final Duration SHED_POLL = Duration.ofMillis(100);
    /** The longest single pause, so that an unusually slow transaction does not stop recording for long. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final SessionStore sessions;
    private final BlockingQueue<Authorization> queue;
    private final Thread writer;
    private final LongAdder recorded = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    /** Transactions written, and the Accepts in them (the writer's thread only; read by any). */
    private final LongAdder writes = new LongAdder();
    private final LongAdder acceptsWritten = new LongAdder();
    private final long lingerNanos;
    /** Callers in {@link #awaitIdle}: while there is one, the writer does not linger. */
    private final AtomicInteger awaiting = new AtomicInteger();
    /** The last Accept written per MAC; touched by the writer thread only. */
    private final Map<MacAddress, Written> written = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MacAddress, Written> eldest) {
            return size() > MEMO_ENTRIES;
        }
    };
    private final List<Authorization> toWrite = new ArrayList<>(BATCH);
    /** Sessions ended since the writer last looked (any thread adds, the writer drains). */
    private final ConcurrentLinkedQueue<Ended> ended = new ConcurrentLinkedQueue<>();
    private final LogThrottle warn;
    private final Object idle = new Object();
    /** Records queued or being written: what {@link #awaitIdle} waits for. */
    private final AtomicLong pending = new AtomicLong();
    private final Shedding shedding;
    private final LongSupplier nanoTime;
    private final LongConsumer pause;
    private final LongAdder pausedNanos = new LongAdder();
    private volatile boolean closing;

    AcceptRecorder(SessionStore sessions, int capacity, Clock clock) {
        this(sessions, capacity, clock, LINGER);
    }

    AcceptRecorder(SessionStore sessions, int capacity, Clock clock, Duration linger) {
        this(sessions, capacity, clock, linger, () -> false);
    }

    /**
     * @param saturated whether the RADIUS ports have more work than CPU now ({@link Saturation#look}); asked at most
     *                  every {@link #SHED_POLL} by the writer thread
     */
    AcceptRecorder(SessionStore sessions, int capacity, Clock clock, Duration linger, BooleanSupplier saturated) {
        this(sessions, capacity, clock, linger, saturated, System::nanoTime, null);
    }

    /** As above; {@code nanoTime} times transactions and {@code pause} pauses (null: park, cut short by close). */
    AcceptRecorder(SessionStore sessions, int capacity, Clock clock, Duration linger, BooleanSupplier saturated,
                   LongSupplier nanoTime, LongConsumer pause) {
        this.sessions = sessions;
        this.shedding = new Shedding(saturated);
        this.nanoTime = nanoTime;
        this.pause = pause != null ? pause : nanos -> LockSupport.parkNanos(this, nanos);
        this.lingerNanos = linger.toNanos();
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

    /**
     * The session of {@code mac} ended at {@code at}: the next Accept for it is written even if it repeats the last
     * one; never blocks. Taken in by the writer before its next batch (or within 200 ms when idle).
     */
    @Override
    public void sessionEnded(MacAddress mac, Instant at) {
        if (mac != null) {
            pending.incrementAndGet();
            ended.add(new Ended(mac, null, at.toEpochMilli()));
        }
    }

    /** Every session of the NAS with identity {@code nasId} ended at {@code at} (Accounting-On/Off). */
    void nasSessionsEnded(String nasId, Instant at) {
        pending.incrementAndGet();
        ended.add(new Ended(null, nasId, at.toEpochMilli()));
    }

    private void run() {
        List<Authorization> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty() || !ended.isEmpty()) {
            int ends = 0;
            try {
                Authorization first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    if (batch.size() < BATCH && awaiting.get() == 0 && !closing) {
                        LockSupport.parkNanos(this, lingerNanos); // awaitIdle and close unpark
                        queue.drainTo(batch, BATCH - batch.size());
                    }
                }
                toWrite.clear();
                ends = forgetEnded(); // before the batch: an Accept queued after the end is then not held back
                long start = nanoTime.getAsLong();
                if (write(batch)) {
                    yieldIfShedding(start, nanoTime.getAsLong());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                pending.addAndGet(-batch.size() - ends);
                batch.clear();
                signalIdle();
            }
        }
    }

    /** After a transaction from {@code start} to {@code end}: while the ports are saturated, pause (see the class). */
    private void yieldIfShedding(long start, long end) {
        if (!shedding.now(end) || closing) {
            return;
        }
        long nanos = Math.min(MAX_PAUSE.toNanos(),
                (long) ((end - start) * (1 - SHARE_WHILE_SHEDDING) / SHARE_WHILE_SHEDDING));
        if (nanos > 0) {
            pausedNanos.add(nanos);
            pause.accept(nanos); // close unparks
        }
    }

    /**
     * Whether the RADIUS ports are saturated: a look within {@link #SHED_MEMORY} said so. Looks at most every
     * {@link #SHED_POLL}. The writer thread's only.
     */
    private static final class Shedding {
        private final BooleanSupplier saturated;
        private long lastLook;
        private long lastSaturated;
        private boolean looked;
        private boolean ever;

        Shedding(BooleanSupplier saturated) {
            this.saturated = saturated;
        }

        boolean now(long now) {
            if (!looked || now - lastLook >= SHED_POLL.toNanos()) {
                looked = true;
                lastLook = now;
                if (saturated.getAsBoolean()) {
                    ever = true;
                    lastSaturated = now;
                }
            }
            return ever && now - lastSaturated < SHED_MEMORY.toNanos();
        }
    }

    /**
     * Forgets the MACs whose sessions ended; an Accept held back for one of them at or after the end (it reached the
     * writer before the end did) goes into {@link #toWrite}. Returns how many ends were taken in.
     */
    private int forgetEnded() {
        int n = 0;
        for (Ended e; (e = ended.poll()) != null; n++) {
            if (e.mac() != null) {
                revive(written.remove(e.mac()), e.atMillis());
            } else {
                for (var it = written.values().iterator(); it.hasNext(); ) {
                    Written w = it.next();
                    if (w.nas.id().equals(e.nasId())) {
                        it.remove();
                        revive(w, e.atMillis());
                    }
                }
            }
        }
        return n;
    }

    private void revive(Written w, long endedAtMillis) {
        if (w != null && w.held != null && w.held.at().toEpochMilli() >= endedAtMillis) {
            toWrite.add(w.held);
        }
    }

    /**
     * Writes {@code batch} less what repeats the last Accept written, after what {@link #toWrite} holds already.
     * Returns whether a transaction was attempted.
     */
    private boolean write(List<Authorization> batch) {
        int revived = toWrite.size(); // counted as recorded when they were held back
        for (Authorization a : batch) {
            Written w = a.mac() == null ? null : written.get(a.mac());
            if (w != null && w.covers(a)) {
                coalesced.increment();
                w.held = a;
            } else {
                toWrite.add(a);
            }
        }
        int fresh = toWrite.size() - revived;
        recorded.add(batch.size() - fresh);
        if (toWrite.isEmpty()) {
            return false;
        }
        try {
            sessions.recordAuthorizations(toWrite);
            writes.increment();
            acceptsWritten.add(toWrite.size());
            recorded.add(fresh);
            for (Authorization a : toWrite) {
                if (a.mac() != null) {
                    written.put(a.mac(), new Written(a));
                }
            }
        } catch (RuntimeException e) {
            drop(fresh, "writing to the session table failed: " + e.getMessage());
        }
        return true;
    }

    /** A session that ended: one MAC's, or (mac null) every session of one NAS. */
    private record Ended(MacAddress mac, String nasId, long atMillis) {
    }

    /**
     * What was written for a MAC, until when an identical Accept needs no new write, and the newest Accept held
     * back since (written after all when the session ends after it).
     */
    private static final class Written {
        final NasRef nas;
        final Long nasPort;
        final String nasPortId;
        final DeviceGuid deviceId;
        final String userName;
        final String profile;
        final io.nacgw.core.policy.Verdict verdict;
        final Long answerHash;
        final long freshUntilMillis;
        Authorization held;

        Written(Authorization a) {
            this.nas = a.nas();
            this.nasPort = a.nasPort();
            this.nasPortId = a.nasPortId();
            this.deviceId = a.deviceId();
            this.userName = a.userName();
            this.profile = a.profile();
            this.verdict = a.verdict();
            this.answerHash = a.answerHash();
            long at = a.at().toEpochMilli();
            long halfLife = (a.expiresAt().toEpochMilli() - at) / 2;
            this.freshUntilMillis = at + Math.min(COALESCE.toMillis(), halfLife);
        }

        boolean covers(Authorization a) {
            return a.at().toEpochMilli() < freshUntilMillis && nas.equals(a.nas()) && verdict == a.verdict()
                    && profile.equals(a.profile()) && Objects.equals(answerHash, a.answerHash())
                    && Objects.equals(nasPort, a.nasPort())
                    && Objects.equals(nasPortId, a.nasPortId()) && Objects.equals(deviceId, a.deviceId())
                    && Objects.equals(userName, a.userName());
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
        awaiting.incrementAndGet();
        LockSupport.unpark(writer);
        try {
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
        } finally {
            awaiting.decrementAndGet();
        }
    }

    long recorded() {
        return recorded.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    /** Accepts not written because an identical one was written less than {@link #COALESCE} before. */
    long coalesced() {
        return coalesced.sum();
    }

    /** Transactions written to the session table. */
    long writes() {
        return writes.sum();
    }

    /** Accepts written in those transactions: {@code written() / writes()} is the mean batch. */
    long written() {
        return acceptsWritten.sum();
    }

    /** Time the writer paused so far to leave the CPU to answering while the ports were saturated (see the class). */
    long pausedNanos() {
        return pausedNanos.sum();
    }

    /** Accepts queued, not yet taken by the writer. */
    int queued() {
        return queue.size();
    }

    /** Writes what is queued (up to 10 s), then stops; later records are dropped. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
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
