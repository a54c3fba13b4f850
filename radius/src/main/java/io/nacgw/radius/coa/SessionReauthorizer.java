package io.nacgw.radius.coa;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.service.ChangeListener;
import io.nacgw.core.service.DeviceChange;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionFilter;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.CoaAction;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.server.Counters;
import io.nacgw.radius.server.SessionWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Turns committed device changes into CoA: for every live session of the changed device (by device id and by each
 * of its MACs, before and after), re-decides with the session's profile and, when the verdict or the verdict's
 * attributes changed, queues a CoA/Disconnect with the {@link CoaSender}. A NAK 503 (the NAS has no such session)
 * stops the session in the store.
 *
 * <p>{@link #onChange} is called on the committing thread (API, sync, import): it only hands the change to this
 * class's own thread through a bounded queue; a full queue drops the change (counted, logged at most every 10 s)
 * and never blocks ingest. The session lookups (database) run on that thread.
 */
public final class SessionReauthorizer implements ChangeListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionReauthorizer.class);

    private final AccessPolicy policy;
    private final ComplianceService compliance;
    private final SessionStore sessions;
    private final Function<String, NasClient> clients;
    private final CoaSender sender;
    private final Clock clock;
    private final SessionWriter worker;
    private final Counters drops;
    private final LongAdder changes = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder sessionsClosed = new LongAdder();
    /** Device changes handed to the worker, and finished there (done or dropped): see {@link #doneBefore}. */
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    /** When the newest finished change was received (epoch ms). */
    private volatile long finishedReceivedAt;
    /** Shared mode: who sends which CoA; null on one node (every CoA is sent here). */
    private volatile CoaCoordinator coordinator;

    /**
     * @param clients    NAS clients by name as configured now
     * @param queueSize  device changes waiting to be looked at; beyond it they are dropped and counted
     */
    public SessionReauthorizer(AccessPolicy policy, ComplianceService compliance, SessionStore sessions,
                               Function<String, NasClient> clients, CoaSender sender, Clock clock, int queueSize) {
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
        return Instant.ofEpochMilli(f == submitted.get() ? now : finishedReceivedAt);
    }

    @Override
    public void onChange(DeviceChange change) {
        submitted.incrementAndGet();
        Instant receivedAt = clock.instant();
        try {
            worker.execute(() -> {
                try {
                    reevaluate(change, receivedAt);
                } finally {
                    finishedReceivedAt = receivedAt.toEpochMilli();
                    finished.incrementAndGet();
                }
            });
        } catch (RejectedExecutionException full) {
            finished.incrementAndGet();
            DeviceRecord d = change.after() != null ? change.after() : change.before();
            drops.drop(DropReason.COA_QUEUE_FULL, null, "device change of " + d.deviceId().canonical()
                    + " not checked for CoA: " + (worker.isShutdown() ? "stopping" : "trigger queue full"));
        }
    }

    /**
     * Re-decides every live session of the changed device and queues a CoA where the answer changed; returns the
     * results to come (one per CoA queued). Runs on the calling thread (blocks on the session store).
     */
    List<CompletableFuture<CoaResult>> reevaluate(DeviceChange change) {
        return reevaluate(change, clock.instant());
    }

    private List<CompletableFuture<CoaResult>> reevaluate(DeviceChange change, Instant receivedAt) {
        changes.increment();
        List<CompletableFuture<CoaResult>> out = new ArrayList<>();
        long now = clock.millis();
        for (Session s : liveSessions(change)) {
            NasClient c = clients.apply(s.nas().client());
            if (c == null) {
                continue; // a client removed by a reload: nowhere to send it (the sender would refuse it too)
            }
            Profile p = policy.profile(profileOf(s, c));
            Decision before = p.decide(change.before(), now);
            Decision after = p.decide(change.after(), now);
            if (before.verdict() == after.verdict() && before.attributes().equals(after.attributes())) {
                unchanged.increment();
                continue;
            }
            String reason = before.verdict().wireName() + " -> " + after.verdict().wireName()
                    + " (" + after.primaryReason().wireName() + ")";
            coordinated(s, changeKey(change), receivedAt, CoaTrigger.DEVICE_CHANGE, reason, out);
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
            worker.execute(() -> reevaluateAll(old));
        } catch (RejectedExecutionException full) {
            drops.drop(DropReason.COA_QUEUE_FULL, null, "policy reload not checked for CoA: "
                    + (worker.isShutdown() ? "stopping" : "trigger queue full"));
        }
    }

    /** {@link #policyReloaded}'s work, on the calling thread; the results to come. */
    List<CompletableFuture<CoaResult>> reevaluateAll(Map<String, Profile> before) {
        List<CompletableFuture<CoaResult>> out = new ArrayList<>();
        long now = clock.millis();
        for (Session s : sessions.list(new SessionFilter(null, null, null, null, true, SessionFilter.MAX_LIMIT))) {
            NasClient c = clients.apply(s.nas().client());
            if (c == null) {
                continue;
            }
            String name = profileOf(s, c);
            Profile old = before.get(name);
            if (old == null) {
                continue; // a profile the reload added: the session was authorised under another one
            }
            DeviceRecord device = device(s);
            Decision was = old.decide(device, now);
            Decision is = policy.profile(name).decide(device, now);
            if (was.verdict() == is.verdict() && was.attributes().equals(is.attributes())) {
                unchanged.increment();
                continue;
            }
            coordinated(s, reloadKey(name, s, is), clock.instant(), CoaTrigger.POLICY_RELOAD, "profile " + name + ": "
                    + was.verdict().wireName() + " -> " + is.verdict().wireName() + " (" + is.primaryReason().wireName()
                    + ")", out);
        }
        return out;
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
     * Sends the CoA at once on one node; in shared mode only if the coordinator says this node sends it (now, or
     * later when the owner turns out dead: that result is not in {@code out}).
     */
    private void coordinated(Session s, String key, Instant receivedAt, CoaTrigger trigger, String reason,
                             List<CompletableFuture<CoaResult>> out) {
        CoaCoordinator c = coordinator;
        if (c == null) {
            out.add(send(s, trigger, null, reason));
            return;
        }
        if (c.offer(s, key, receivedAt, () -> send(s, trigger, null, reason))) {
            out.add(send(s, trigger, null, reason));
        }
    }

    /**
     * What identifies a device change on every node: the device and the MDM timestamp of its new version (a stored
     * version is replaced only by a strictly newer one), or of the deleted one. Nodes that apply several changes of
     * one device at once see the newest key only, which is the one that decides the session's answer.
     */
    static String changeKey(DeviceChange change) {
        DeviceRecord d = change.after() != null ? change.after() : change.before();
        return d.deviceId().canonical() + (change.after() != null ? "@" : "@deleted@")
                + d.lastModified().toEpochMilli();
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
        queued.increment();
        CompletableFuture<CoaResult> f = sender.submit(CoaRequest.of(s, trigger, action, reason));
        f.thenAccept(r -> {
            if (r.sessionGone()) {
                try {
                    worker.execute(() -> stop(s));
                } catch (RejectedExecutionException full) {
                    log.debug("session {} not stopped after NAK 503: trigger queue full or stopping", s.id());
                }
            }
        });
        return f;
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

    /**
     * Sessions of the device active now: by its id and by every MAC it had or has, each session once. Each id and
     * MAC is looked up once (before and after usually share them: half the queries on a remote store).
     */
    private List<Session> liveSessions(DeviceChange change) {
        Set<DeviceGuid> ids = new LinkedHashSet<>();
        Set<MacAddress> macs = new LinkedHashSet<>();
        for (DeviceRecord d : new DeviceRecord[]{change.before(), change.after()}) {
            if (d != null) {
                ids.add(d.deviceId());
                macs.addAll(d.macs());
            }
        }
        Map<String, Session> found = new LinkedHashMap<>();
        for (DeviceGuid id : ids) {
            for (Session s : sessions.activeSessionsForDevice(id)) {
                found.putIfAbsent(s.id(), s);
            }
        }
        for (MacAddress m : macs) {
            for (Session s : sessions.activeSessionsForMac(m)) {
                found.putIfAbsent(s.id(), s);
            }
        }
        return new ArrayList<>(found.values());
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
                sessionsClosed.sum(), worker.backlog());
    }

    /**
     * @param changes         device changes looked at
     * @param coaQueued       CoA handed to the sender (changed decisions and operator actions)
     * @param unchanged       live sessions whose decision a change did not alter (nothing sent)
     * @param dropped         device changes dropped because the trigger queue was full
     * @param sessionsClosed  sessions stopped after a NAK 503
     * @param backlog         device changes waiting
     */
    public record Stats(long changes, long coaQueued, long unchanged, long dropped, long sessionsClosed, long backlog) {
    }

    /** Stops taking changes, finishes the queued ones (up to 10 s). */
    @Override
    public void close() {
        worker.close();
    }
}
