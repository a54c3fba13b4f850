package io.nacgw.radius.coa;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.ChangeListener;
import io.nacgw.core.service.DeviceChange;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.CoaAction;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.server.Counters;
import io.nacgw.radius.server.SessionEndListener;
import io.nacgw.radius.server.SessionWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Turns committed device changes into CoA: for every live session of the changed device (by device id and by each
 * of its MACs, before and after), re-decides with the session's profile and, when the new answer differs from the
 * one the session was authorised with ({@link Session#answerHash()}: verdict and response attributes), queues a
 * CoA/Disconnect with the {@link CoaSender}. A session with no recorded answer (known from accounting only) gets one
 * when the change alters the decision. A NAK 503 (the NAS has no such session) stops the session in the store.
 *
 * <p>{@link #onChange} is called on the committing thread (API, sync, import): it only hands the change to this
 * class's own thread through a bounded queue and never blocks ingest. When that queue is full the change is counted
 * and kept aside, newest per device (up to {@link #MAX_OVERFLOW} devices; beyond, every active session is re-checked),
 * and looked at as soon as the queue drains, so no change goes unchecked. The session lookups (database) run on
 * that thread. A walk over every active session (a reload, a re-check) reads them a page at a time, so memory does
 * not grow with the session table.
 *
 * <p>What a CoA's answer asks to write on its session (the answer an ACK made the NAS re-authorise toward; stop
 * after a NAK 503) waits, newest per session, for the trigger's thread, which writes it before its next piece of
 * work: it never needs room in the trigger's queue, so a full queue does not lose it.
 */
public final class SessionReauthorizer implements ChangeListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionReauthorizer.class);
    /** Device changes the trigger's thread looks at together (one session query, one claim transaction). */
    static final int BATCH = 256;
    /** Devices whose changes a full queue set aside, at most; beyond, every active session is re-checked instead. */
    static final int MAX_OVERFLOW = 100_000;
    /** Sessions read per page when every active session is looked at (a reload, a re-check). */
    static final int PAGE = 1_000;

    private final AccessPolicy policy;
    private final ComplianceService compliance;
    private final SessionStore sessions;
    private final Function<String, NasClient> clients;
    private final CoaSender sender;
    private final Clock clock;
    private final SessionWriter worker;
    private final Counters drops;
    private final int maxOverflow;
    private final int pageSize;
    private final LongAdder changes = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder sessionsClosed = new LongAdder();
    private final LongAdder failedChanges = new LongAdder();
    /** Device changes waiting for the trigger's thread, oldest first (each also has a task in the worker). */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    /** Device changes handed to the worker, and finished there (done or dropped): see {@link #doneBefore}. */
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    /** When the newest finished change was received (epoch ms). */
    private volatile long finishedReceivedAt;
    /**
     * Changes the full queue could not take, newest per device (its first before, its last after, when the first
     * arrived), waiting for the trigger's thread to drain them after its queued work.
     */
    private final Map<DeviceGuid, Pending> overflow = new java.util.HashMap<>(); // guarded by itself
    /**
     * Every active session is to be re-checked because more devices overflowed than kept: each CoA is claimed under
     * the change key of its device's current version, as the per-change CoA of that version is on every node.
     */
    private boolean recheckDevices; // guarded by overflow
    /** Every active session is to be re-checked because a reload found the queue full (claimed as a reload's CoA). */
    private boolean recheckReload; // guarded by overflow
    /**
     * When the oldest change set aside (or being drained) arrived, epoch ms; Long.MAX_VALUE when none waits. Written
     * under the overflow's lock, read by {@link #doneBefore}.
     */
    private volatile long overflowSince = Long.MAX_VALUE;
    /** Shared mode: who sends which CoA; null on one node (every CoA is sent here). */
    private volatile CoaCoordinator coordinator;
    /** Session writes CoA answers asked for, newest per session, waiting for the trigger's thread. */
    private final Map<String, SessionWrite> sessionWrites = new ConcurrentHashMap<>();
    /**
     * Session id to the answer of the last CoA this node sent it toward one, until its NAK or until its ACK's answer
     * is written on the session (see {@link #held}).
     */
    private final Map<String, Answer> inFlight = new ConcurrentHashMap<>();
    /** A task that writes {@link #sessionWrites} is queued and has not started. */
    private final AtomicBoolean writesQueued = new AtomicBoolean();
    /** Told of the endpoint of every CoA the NAS acknowledged or answered with NAK 503; null: nobody. */
    private volatile SessionEndListener sessionEnds;

    /**
     * @param clients    NAS clients by name as configured now
     * @param queueSize  device changes waiting to be looked at; beyond it they are dropped and counted
     */
    public SessionReauthorizer(AccessPolicy policy, ComplianceService compliance, SessionStore sessions,
                               Function<String, NasClient> clients, CoaSender sender, Clock clock, int queueSize) {
        this(policy, compliance, sessions, clients, sender, clock, queueSize, MAX_OVERFLOW, PAGE);
    }

    /** As above, with the set-aside devices kept at most and the sessions read per page (tests make them small). */
    SessionReauthorizer(AccessPolicy policy, ComplianceService compliance, SessionStore sessions,
                        Function<String, NasClient> clients, CoaSender sender, Clock clock, int queueSize,
                        int maxOverflow, int pageSize) {
        if (maxOverflow < 1 || pageSize < 1) {
            throw new IllegalArgumentException("maxOverflow and pageSize must be positive");
        }
        this.maxOverflow = maxOverflow;
        this.pageSize = pageSize;
        this.policy = policy;
        this.compliance = compliance;
        this.sessions = sessions;
        this.clients = clients;
        this.sender = sender;
        this.clock = clock;
        this.drops = new Counters(clock);
        this.worker = new SessionWriter("nacgw-coa-trigger", 1, queueSize);
    }

    /**
     * Shared mode: from now on a CoA a device change or policy reload calls for goes through a coordinator, so that
     * of all the nodes on {@code claims}'s store exactly one sends it (see {@link CoaCoordinator}). Returns it
     * started; the caller closes it.
     */
    public CoaCoordinator share(io.nacgw.core.session.CoaClaims claims, String node, SharedCoaSettings settings) {
        CoaCoordinator c = CoaCoordinator.start(claims, node, settings, clock, this::doneBefore);
        this.coordinator = c;
        return c;
    }

    /**
     * From now on, every CoA or Disconnect the NAS acknowledges (it ends or re-authorises the session) and every
     * NAK 503 (it has no such session) is told to {@code listener} with the session's MAC and the time the CoA was
     * sent: the RADIUS server's Accept recorder, so the re-authentication's Access-Accept is written to the session
     * table even when it repeats the one before.
     */
    public void onSessionEnd(SessionEndListener listener) {
        this.sessionEnds = listener;
    }

    /** As {@link #share}, with a coordinator the caller drives (tests). */
    void share(CoaCoordinator c) {
        this.coordinator = c;
    }

    /**
     * The time before which every device change this node received has been looked at (and its CoA claimed or
     * deferred): now when none is waiting, else when the last finished one was received (the worker is FIFO).
     */
    Instant doneBefore() {
        long now = clock.millis(); // first: a change counted after the reads below was received after now
        long f = finished.get();
        long done = f == submitted.get() ? now : finishedReceivedAt;
        return Instant.ofEpochMilli(Math.min(done, overflowSince)); // set-aside changes are not done yet
    }

    @Override
    public void onChange(DeviceChange change) {
        submitted.incrementAndGet();
        Pending p = new Pending(change, clock.instant());
        pending.add(p);
        try {
            worker.execute(() -> drainThrough(p));
        } catch (RejectedExecutionException full) {
            if (p.take()) { // else a batch already holds it: it is looked at
                DeviceRecord d = change.after() != null ? change.after() : change.before();
                if (worker.isShutdown()) {
                    finished.incrementAndGet();
                    drops.drop(DropReason.COA_QUEUE_FULL, null, "CoA trigger stopping: device change of "
                            + d.deviceId().canonical() + " not checked for CoA");
                    return;
                }
                setAside(p, d.deviceId());
                finished.incrementAndGet(); // after setAside: doneBefore stays before it until it is looked at
                drops.drop(DropReason.COA_QUEUE_FULL, null, "CoA trigger queue full: device change of "
                        + d.deviceId().canonical() + " set aside, checked for CoA when the queue drains");
            }
        }
    }

    /**
     * Keeps a change the full queue refused for {@link #drainOverflow}: merged with one already waiting for that
     * device (first before, last after, first arrival), or, beyond {@code maxOverflow} devices, as a re-check of
     * every active session. Then makes sure a task will drain it: one queued now, or (queue still full) one of the
     * tasks already waiting, which all start after this.
     */
    private void setAside(Pending p, DeviceGuid device) {
        synchronized (overflow) { // only when the queue is full; no I/O under it
            overflowSince = Math.min(overflowSince, p.receivedAt.toEpochMilli());
            if (overflow.size() >= maxOverflow && !overflow.containsKey(device)) {
                recheckDevices = true;
            } else {
                overflow.merge(device, p, (old, next) -> new Pending(new DeviceChange(old.change.before(),
                        next.change.after()), old.receivedAt));
            }
        }
        try {
            worker.execute(this::drainOverflow);
        } catch (RejectedExecutionException stillFull) {
            // the queue is full of tasks that have not started: each drains the overflow when done
        }
    }

    /** A device change waiting for the trigger's thread; taken once, by a batch or by the full-queue drop. */
    private static final class Pending {
        final DeviceChange change;
        final Instant receivedAt;
        private final AtomicBoolean taken = new AtomicBoolean();

        Pending(DeviceChange change, Instant receivedAt) {
            this.change = change;
            this.receivedAt = receivedAt;
        }

        boolean take() {
            return taken.compareAndSet(false, true);
        }
    }

    /**
     * {@code p}'s task on the trigger's thread: looks at the waiting changes in batches of up to {@link #BATCH},
     * oldest first, until {@code p}'s batch is done (a task whose change an earlier batch took does nothing).
     */
    private void drainThrough(Pending p) {
        writeSessions();
        while (!p.taken.get()) {
            List<Pending> batch = new ArrayList<>();
            for (Pending q; batch.size() < BATCH && (q = pending.poll()) != null; ) {
                if (q.take()) {
                    batch.add(q);
                }
            }
            if (batch.isEmpty()) {
                return; // cannot happen: p waits in the queue until taken
            }
            try {
                reevaluate(batch);
            } catch (RuntimeException e) {
                failedChanges.add(batch.size());
                log.warn("{} device change(s) not checked for CoA: {}", batch.size(), e.toString());
            } finally {
                finishedReceivedAt = batch.get(batch.size() - 1).receivedAt.toEpochMilli();
                finished.addAndGet(batch.size());
            }
        }
        drainOverflow();
    }

    /**
     * On the trigger's thread, after its queued work: looks at the changes the full queue set aside (in batches,
     * like queued ones, so in shared mode they are claimed under the same change keys as on the other nodes), then
     * re-checks every active session if that was asked for.
     */
    private void drainOverflow() {
        writeSessions();
        List<Pending> all;
        boolean devices;
        boolean reload;
        synchronized (overflow) {
            if (overflow.isEmpty() && !recheckDevices && !recheckReload) {
                overflowSince = Long.MAX_VALUE;
                return;
            }
            all = new ArrayList<>(overflow.values());
            overflow.clear();
            devices = recheckDevices;
            reload = recheckReload;
            recheckDevices = false;
            recheckReload = false;
            // overflowSince stays until these are looked at; changes set aside meanwhile can only lower it
        }
        all.sort(java.util.Comparator.comparing(q -> q.receivedAt));
        for (int i = 0; i < all.size(); i += BATCH) {
            List<Pending> batch = all.subList(i, Math.min(all.size(), i + BATCH));
            try {
                reevaluate(batch);
            } catch (RuntimeException e) {
                failedChanges.add(batch.size());
                log.warn("{} set-aside device change(s) not checked for CoA: {}", batch.size(), e.toString());
            }
        }
        if (devices || reload) {
            try {
                recheckEverySession(devices);
            } catch (RuntimeException e) {
                log.warn("re-checking every active session for CoA failed: {}", e.toString());
            }
        }
        synchronized (overflow) {
            if (overflow.isEmpty() && !recheckDevices && !recheckReload) {
                overflowSince = Long.MAX_VALUE;
            } // else what was set aside meanwhile has a task queued behind this one, which lowers the mark then
        }
    }

    /**
     * Re-decides every live session of the changed device and queues a CoA where the answer changed; returns the
     * results to come (one per CoA queued). Runs on the calling thread (blocks on the session store).
     */
    List<CompletableFuture<CoaResult>> reevaluate(DeviceChange change) {
        return reevaluate(List.of(new Pending(change, clock.instant())));
    }

    /**
     * {@link #reevaluate(DeviceChange)} for a batch: one session query for all their devices and MACs, and (shared
     * mode) one claim transaction for all the CoA they call for; the CoA go to the sender at once.
     */
    private List<CompletableFuture<CoaResult>> reevaluate(List<Pending> batch) {
        changes.add(batch.size());
        Set<DeviceGuid> ids = new LinkedHashSet<>();
        Set<MacAddress> macs = new LinkedHashSet<>();
        for (Pending p : batch) {
            addKeys(p.change, ids, macs);
        }
        List<Session> live = sessions.activeSessionsFor(ids, macs);
        List<Coa> coa = new ArrayList<>();
        long now = clock.millis();
        for (Pending p : batch) {
            for (Session s : sessionsOf(p.change, live)) {
                NasClient c = clients.apply(s.nas().client());
                if (c == null) {
                    continue; // a client removed by a reload: nowhere to send it (the sender would refuse it too)
                }
                Profile prof = policy.profile(profileOf(s, c));
                Decision before = prof.decide(p.change.before(), now);
                Decision after = prof.decide(p.change.after(), now);
                if (!differs(s, before, after)) {
                    unchanged.increment();
                    continue;
                }
                Verdict held = heldVerdict(s);
                String reason = (held != null ? held : before.verdict()).wireName() + " -> "
                        + after.verdict().wireName() + " (" + after.primaryReason().wireName() + ")";
                coa.add(new Coa(s, changeKey(p.change), p.receivedAt, CoaTrigger.DEVICE_CHANGE, reason,
                        Answer.of(after)));
            }
        }
        List<CompletableFuture<CoaResult>> out = new ArrayList<>();
        coordinated(coa, out);
        return out;
    }

    /**
     * True when {@code now} is not the answer the NAS holds for {@code s} ({@link #held}): compared with the answer
     * the session was authorised with when it was recorded (so an Access-Accept already decided with the new record
     * gets nothing, and one decided before an earlier change the trigger has not seen yet gets its CoA); else, for a
     * session known from accounting only, with {@code was}, the decision before the change or reload.
     */
    private boolean differs(Session s, Decision was, Decision now) {
        Long held = held(s);
        if (held != null) {
            return held != now.answerHash();
        }
        return was.verdict() != now.verdict() || !was.attributes().equals(now.attributes());
    }

    /** The sessions among {@code live} of the change's device (by id) or of any MAC it had or has. */
    private static List<Session> sessionsOf(DeviceChange change, List<Session> live) {
        Set<DeviceGuid> ids = new LinkedHashSet<>();
        Set<MacAddress> macs = new LinkedHashSet<>();
        addKeys(change, ids, macs);
        List<Session> out = new ArrayList<>();
        for (Session s : live) {
            if ((s.deviceId() != null && ids.contains(s.deviceId())) || (s.mac() != null && macs.contains(s.mac()))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A policy reload replaced the profiles ({@code before}: the profiles as they were, by name): every active
     * session is decided again with its profile's old and new rules, and gets a CoA where the answer changed. Runs
     * on this class's thread; the CoA sender's per-NAS rate limit spreads the CoA out. Never blocks the caller.
     */
    public void policyReloaded(Map<String, Profile> before) {
        Map<String, Profile> old = Map.copyOf(before);
        try {
            worker.execute(() -> {
                writeSessions();
                reevaluateAll(old);
            });
        } catch (RejectedExecutionException full) {
            if (worker.isShutdown()) {
                drops.drop(DropReason.COA_QUEUE_FULL, null, "CoA trigger stopping: policy reload not checked for CoA");
                return;
            }
            // the old rules are not needed: each session is compared with the answer it was authorised with
            synchronized (overflow) {
                overflowSince = Math.min(overflowSince, clock.millis());
                recheckReload = true;
            }
            drops.drop(DropReason.COA_QUEUE_FULL, null, "CoA trigger queue full: policy reload set aside, every active "
                    + "session re-checked for CoA when the queue drains");
            try {
                worker.execute(this::drainOverflow);
            } catch (RejectedExecutionException stillFull) {
                // the tasks waiting in the full queue drain it
            }
        }
    }

    /**
     * Every active session decided again with its profile and the device's current record, and a CoA where the answer
     * differs from the one recorded on the session (sessions without one are left: there is nothing to compare with).
     * Runs on the trigger's thread, a page of sessions at a time. Claimed (shared mode) the way the other nodes claim
     * the CoA this node missed, so a session gets one CoA across the nodes: after device changes were lost
     * ({@code devices}) under the change key of the device's current version, or, for a device deleted meanwhile,
     * of its deletion (the deleted version is read from the shared change log, {@link
     * io.nacgw.core.store.ComplianceStore#deletedVersions}), which the per-change CoA carries on every node; after a
     * reload only, as that reload's CoA. A session known by MAC only, whose device is gone, has no device id to ask
     * the log with: it is claimed as a re-check.
     */
    private void recheckEverySession(boolean devices) {
        long now = clock.millis();
        forEveryActiveSession(page -> {
            List<Recheck> found = new ArrayList<>();
            Set<DeviceGuid> gone = new LinkedHashSet<>();
            for (Session s : page) {
                NasClient c = clients.apply(s.nas().client());
                Long held = held(s);
                if (c == null || held == null) {
                    continue;
                }
                String name = profileOf(s, c);
                DeviceRecord d = device(s);
                Decision is = policy.profile(name).decide(d, now);
                if (held == is.answerHash()) {
                    unchanged.increment();
                    continue;
                }
                found.add(new Recheck(s, name, d, is));
                if (devices && d == null && s.deviceId() != null) {
                    gone.add(s.deviceId());
                }
            }
            // a device the index no longer holds: its deletion's key needs the deleted version, gone from memory;
            // the shared change log has it (one query per page)
            Map<DeviceGuid, Instant> deleted = gone.isEmpty() ? Map.of() : compliance.store().deletedVersions(gone);
            List<Coa> coa = new ArrayList<>(found.size());
            for (Recheck r : found) {
                Session s = r.session();
                Verdict held = heldVerdict(s);
                String key = null; // a reload's, or a device's whose change the log no longer names
                if (devices && r.device() != null) {
                    key = changeKey(new DeviceChange(null, r.device()));
                } else if (devices && s.deviceId() != null && deleted.containsKey(s.deviceId())) {
                    key = changeKey(s.deviceId(), true, deleted.get(s.deviceId()));
                }
                coa.add(new Coa(s, key != null ? key : reloadKey(r.profile(), s, r.is()), clock.instant(),
                        key != null ? CoaTrigger.DEVICE_CHANGE : CoaTrigger.POLICY_RELOAD, "re-check: "
                        + (held == null ? "?" : held.wireName()) + " -> " + r.is().verdict().wireName()
                        + " (" + r.is().primaryReason().wireName() + ")", Answer.of(r.is())));
            }
            return coa;
        }, null);
    }

    /** A session a re-check found holding another answer than {@code is}; {@code device} null: not in the index. */
    private record Recheck(Session session, String profile, DeviceRecord device, Decision is) {
    }

    /** {@link #policyReloaded}'s work, on the calling thread; the results to come. */
    List<CompletableFuture<CoaResult>> reevaluateAll(Map<String, Profile> before) {
        List<CompletableFuture<CoaResult>> out = new ArrayList<>();
        long now = clock.millis();
        forEveryActiveSession(page -> {
            List<Coa> coa = new ArrayList<>();
            for (Session s : page) {
                NasClient c = clients.apply(s.nas().client());
                if (c == null) {
                    continue;
                }
                String name = profileOf(s, c);
                Profile old = before.get(name);
                if (old == null && held(s) == null) {
                    continue; // a profile the reload added, and no recorded answer to compare with
                }
                DeviceRecord device = device(s);
                Decision is = policy.profile(name).decide(device, now);
                Decision was = old == null ? is : old.decide(device, now);
                if (!differs(s, was, is)) {
                    unchanged.increment();
                    continue;
                }
                Verdict held = heldVerdict(s);
                coa.add(new Coa(s, reloadKey(name, s, is), clock.instant(), CoaTrigger.POLICY_RELOAD, "profile "
                        + name + ": " + (held != null ? held : was.verdict()).wireName() + " -> "
                        + is.verdict().wireName() + " (" + is.primaryReason().wireName() + ")", Answer.of(is)));
            }
            return coa;
        }, out);
        return out;
    }

    /**
     * Walks every active session, {@code pageSize} at a time in id order (keyset pages: memory holds one page, each
     * session is met once however the table changes meanwhile); the CoA {@code decide} finds on a page are claimed
     * and sent before the next page is read. Their results go to {@code out} unless it is null.
     */
    private void forEveryActiveSession(Function<List<Session>, List<Coa>> decide,
                                       List<CompletableFuture<CoaResult>> out) {
        String after = null;
        for (List<Session> page; !(page = sessions.activeSessionsAfter(after, pageSize)).isEmpty(); ) {
            after = page.get(page.size() - 1).id();
            List<CompletableFuture<CoaResult>> sent = out == null ? new ArrayList<>() : out;
            coordinated(decide.apply(page), sent);
            if (page.size() < pageSize) {
                return;
            }
        }
    }

    /** The session's device from the index (by device id, else MAC), or null when unknown. */
    private DeviceRecord device(Session s) {
        try {
            if (s.deviceId() != null) {
                var d = compliance.lookup(s.deviceId()).get(10, TimeUnit.SECONDS);
                if (d.isPresent()) {
                    return d.get();
                }
            }
            return s.mac() == null ? null : compliance.lookup(s.mac()).get(10, TimeUnit.SECONDS).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("looking up the device of session " + s.id() + " failed: " + e, e);
        }
    }

    /**
     * An operator's re-authentication (or, with {@code disconnect}, Disconnect) of one session, whatever its
     * decision; the future completes with the NAS's answer.
     */
    public CompletableFuture<CoaResult> reauthorize(Session s, boolean disconnect) {
        return send(s, CoaTrigger.OPERATOR, disconnect ? CoaAction.DISCONNECT : null,
                disconnect ? "operator: disconnect" : "operator: reauthenticate");
    }

    /**
     * The answer the NAS holds, or is being told to re-authorise toward, for {@code s}: that of the last CoA this
     * node sent it while its answer is not back or not yet written (so a re-check meanwhile does not send it again,
     * and a change back meanwhile is sent), else the one recorded on the session; null when none is known.
     */
    private Long held(Session s) {
        Answer flying = inFlight.get(s.id());
        if (flying != null) {
            return flying.hash();
        }
        return s.answerHash(); // not in one conditional: that would unbox a null answer
    }

    /** The verdict of {@link #held}'s answer (what a CoA's reason says the session goes from); null when unknown. */
    private Verdict heldVerdict(Session s) {
        Answer flying = inFlight.get(s.id());
        return flying != null ? flying.verdict() : s.answerHash() != null ? s.verdict() : null;
    }

    /** An answer a CoA asks the NAS to re-authorise toward: its {@link Decision#answerHash()} and verdict. */
    private record Answer(long hash, Verdict verdict) {
        static Answer of(Decision d) {
            return new Answer(d.answerHash(), d.verdict());
        }
    }

    /** A CoA a change or reload calls for, toward the answer {@code target}. */
    private record Coa(Session session, String key, Instant receivedAt, CoaTrigger trigger, String reason,
                       Answer target) {
    }

    /**
     * Sends the CoA at once on one node; in shared mode only those the coordinator says this node sends (now, or
     * later when the owner turns out dead: those results are not in {@code out}).
     */
    private void coordinated(List<Coa> coa, List<CompletableFuture<CoaResult>> out) {
        CoaCoordinator c = coordinator;
        if (c == null) {
            coa.forEach(k -> out.add(send(k.session(), k.trigger(), null, k.reason(), k.target())));
            return;
        }
        List<CoaCoordinator.Offer> offers = new ArrayList<>(coa.size());
        for (Coa k : coa) {
            offers.add(new CoaCoordinator.Offer(k.session(), k.key(), k.receivedAt(),
                    () -> send(k.session(), k.trigger(), null, k.reason(), k.target())));
        }
        boolean[] now = c.offerAll(offers);
        for (int i = 0; i < now.length; i++) {
            if (now[i]) {
                Coa k = coa.get(i);
                out.add(send(k.session(), k.trigger(), null, k.reason(), k.target()));
            }
        }
    }

    /**
     * What identifies a device change on every node: the device and the MDM timestamp of its new version (a stored
     * version is replaced only by a strictly newer one), or of the deleted one. Nodes that apply several changes of
     * one device at once see the newest key only, which is the one that decides the session's answer.
     */
    static String changeKey(DeviceChange change) {
        DeviceRecord d = change.after() != null ? change.after() : change.before();
        return changeKey(d.deviceId(), change.after() == null, d.lastModified());
    }

    /** {@link #changeKey(DeviceChange)} of the device's version {@code version}, or of its deletion. */
    static String changeKey(DeviceGuid device, boolean deleted, Instant version) {
        return device.canonical() + (deleted ? "@deleted@" : "@") + version.toEpochMilli();
    }

    /** A reload's CoA: the profile, the authorisation the session holds, and the new answer (same on every node). */
    static String reloadKey(String profile, Session s, Decision is) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((is.verdict().wireName() + "|"
                    + is.attributes()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "policy:" + profile + ":" + s.decisionId() + ":" + java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private CompletableFuture<CoaResult> send(Session s, CoaTrigger trigger, CoaAction action, String reason) {
        return send(s, trigger, action, reason, null);
    }

    /**
     * Sends one CoA; when the NAS acknowledges one toward {@code target}, that answer is recorded as the one the
     * session holds (the NAS re-authorises it now: a change that comes back before its Access-Accept is recorded is
     * compared with the answer the NAS was sent, not with the older one). The future completes once that write (or
     * the stop after a NAK 503) is handed to the trigger's thread.
     */
    private CompletableFuture<CoaResult> send(Session s, CoaTrigger trigger, CoaAction action, String reason,
                                              Answer target) {
        queued.increment();
        if (target != null) {
            inFlight.put(s.id(), target);
        }
        Instant sentAt = clock.instant(); // the NAS may re-authenticate before its answer arrives
        return sender.submit(CoaRequest.of(s, trigger, action, reason)).thenApply(r -> {
            SessionEndListener ends = sessionEnds;
            if (ends != null && (r.answer() == CoaResult.Answer.ACK || r.sessionGone())) {
                ends.sessionEnded(s.mac(), sentAt);
            }
            Answer answer = target != null && r.answer() == CoaResult.Answer.ACK ? target : null;
            if (answer != null || r.sessionGone()) {
                write(new SessionWrite(s, answer, r.sessionGone())); // leaves inFlight once written
            }
            if (target != null && answer == null) {
                inFlight.remove(s.id(), target); // not acknowledged: the session holds what it held
            }
            return r;
        }).whenComplete((r, e) -> {
            if (e != null && target != null) {
                inFlight.remove(s.id(), target);
            }
        });
    }

    /**
     * What a CoA's answer asks to write on session {@code session}: the answer it now holds ({@code answer}, for
     * the authorisation {@code session} carried; null: none) and whether to stop it (NAK 503).
     */
    private record SessionWrite(Session session, Answer answer, boolean stop) {
        /** This write followed by {@code next}: the newest answer, and a stop if either stops. */
        SessionWrite then(SessionWrite next) {
            return next.answer != null ? new SessionWrite(next.session, next.answer, stop || next.stop)
                    : new SessionWrite(session, answer, stop || next.stop);
        }
    }

    /**
     * Hands {@code w} to the trigger's thread without needing room in its queue: it waits in
     * {@link #sessionWrites}, and a task queued for it, or (queue full) every task already waiting there, writes it.
     * Never blocks (runs on the CoA sender's thread).
     */
    private void write(SessionWrite w) {
        sessionWrites.merge(w.session().id(), w, SessionWrite::then);
        if (writesQueued.compareAndSet(false, true)) {
            try {
                worker.execute(this::writeSessions);
            } catch (RejectedExecutionException full) {
                writesQueued.set(false); // the tasks waiting in the full queue write it first
                if (worker.isShutdown()) {
                    log.debug("session {}: the CoA's answer not recorded: stopping", w.session().id());
                }
            }
        }
    }

    /** On the trigger's thread, before any other work: the session writes CoA answers asked for. */
    private void writeSessions() {
        writesQueued.set(false); // first: a write added from now on is written by this pass or by a new task
        if (sessionWrites.isEmpty()) {
            return;
        }
        for (String id : sessionWrites.keySet()) {
            SessionWrite w = sessionWrites.remove(id);
            if (w == null) {
                continue;
            }
            if (w.answer() != null) {
                answered(w.session(), w.answer().hash());
                inFlight.remove(id, w.answer()); // the session row holds it now
            }
            if (w.stop()) {
                stop(w.session());
            }
        }
    }

    private void answered(Session s, long target) {
        try {
            sessions.answered(s.id(), s.decisionId(), target);
        } catch (RuntimeException e) {
            log.warn("cannot record the answer of session {} after its CoA-ACK: {}", s.id(), e.toString());
        }
    }

    /** The NAS does not know the session (NAK 503): stop it, so later changes do not target it. */
    private void stop(Session s) {
        try {
            if (sessions.stop(s.id(), clock.instant(), null)) {
                sessionsClosed.increment();
            }
        } catch (RuntimeException e) {
            log.warn("cannot stop session {} of {} after NAK 503: {}", s.id(), s.nas().id(), e.toString());
        }
    }

    /** The device ids and MACs, before and after, whose sessions a change concerns. */
    private static void addKeys(DeviceChange change, Set<DeviceGuid> ids, Set<MacAddress> macs) {
        for (DeviceRecord d : new DeviceRecord[]{change.before(), change.after()}) {
            if (d != null) {
                ids.add(d.deviceId());
                macs.addAll(d.macs());
            }
        }
    }

    /**
     * The profile the session was authorised with (recorded from its Access-Accept); for a session known only from
     * accounting, or whose profile a reload removed, the NAS client's default.
     */
    private String profileOf(Session s, NasClient c) {
        return s.profile() != null && policy.has(s.profile()) ? s.profile() : c.profileFor(null, null);
    }

    /** Counters for metrics. */
    public Stats stats() {
        return new Stats(changes.sum(), queued.sum(), unchanged.sum(), drops.drops(DropReason.COA_QUEUE_FULL),
                sessionsClosed.sum(), submitted.get() - finished.get(), failedChanges.sum());
    }

    /**
     * @param changes         device changes looked at
     * @param coaQueued       CoA handed to the sender (changed decisions and operator actions)
     * @param unchanged       live sessions whose decision a change did not alter (nothing sent)
     * @param dropped         device changes (and reloads) the full trigger queue set aside (looked at when it drains)
     *                        or refused while stopping
     * @param sessionsClosed  sessions stopped after a NAK 503
     * @param backlog         device changes waiting
     * @param failed          device changes not checked because the session lookup or the policy failed (logged)
     */
    public record Stats(long changes, long coaQueued, long unchanged, long dropped, long sessionsClosed, long backlog,
                        long failed) {
    }

    /** Stops taking changes, finishes the queued ones (up to 10 s). */
    @Override
    public void close() {
        worker.close();
    }
}
