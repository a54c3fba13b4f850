package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.service.ComplianceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.DoubleSupplier;


/** {@link SyncService} with an in-process run guard and a single scheduler thread. */
final class DefaultSyncService implements SyncService {
    private static final Logger log = LoggerFactory.getLogger(DefaultSyncService.class);
    /** Longest pause between scheduler ticks, so a failed full sync is retried within minutes. */
    static final Duration MAX_TICK = Duration.ofMinutes(5);
    /** Store state names: the mark, the last full sync, the start of the run that set them, and whose they are. */
    static final String STATE_MARK = "sync.highWaterMark";
    static final String STATE_LAST_FULL = "sync.lastFullSuccess";
    static final String STATE_RUN = "sync.markRunStarted";
    static final String STATE_SOURCE = "sync.source";
    private static final java.util.List<String> STATE = java.util.List.of(STATE_MARK, STATE_LAST_FULL, STATE_RUN,
            STATE_SOURCE);

    private final ComplianceService compliance;
    private final java.util.function.Function<SyncSettings, HttpClient> http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final ScheduledExecutorService watchdog;
    // guarded by this; replaced by reconfigure (a run keeps the GraphSync it claimed)
    private SyncSettings settings;
    private GraphSync graph;
    /** Bumped when the tenant (token URL) or the Graph URL changes: a run claimed before records no high-water mark. */
    private long source;
    private ScheduledExecutorService scheduler;
    /** Schedulers replaced by reconfigure or stop whose last tick may still be running; close interrupts them. */
    private final java.util.List<ScheduledExecutorService> retiring = new java.util.ArrayList<>();
    private boolean closed;
    /** The schedule runs only while this node leads (one node of several on a shared store). */
    private volatile ClusterRole role = ClusterRole.solo("local");
    /** Whether this node led at the previous scheduler tick (a new leader syncs at once). */
    private volatile boolean ledAtLastTick;

    // guarded by this: a run is claimed, and its result recorded and the claim released, in one critical section
    private SyncMode runningMode;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private Instant lastFullSuccess;
    private Instant lastRunStart;
    private Instant highWaterMark;
    /** When the run that set the mark and the last full sync started (here or, read from the store, on another node). */
    private Instant markRunStarted;
    private SyncReport lastRun;
    private long runs;
    private long failedRuns;
    private long totalChanges;
    private long totalRetired;
    private long totalWarnings;
    private long totalFutureTimestamps;
    private long clampEvents;
    private SyncStatus.MarkClamp lastClamp;
    private SyncReport.RetireGuard retireGuard;
    private long retireGuardEvents;

    static DefaultSyncService create(SyncSettings settings, ComplianceService compliance, ClusterRole role) {
        DefaultSyncService s = new DefaultSyncService(settings, compliance, DefaultSyncService::httpClient,
                Clock.systemUTC(), Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble());
        s.role = role;
        return s;
    }

    private static HttpClient httpClient(SyncSettings settings) {
        return HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not carry the bearer token elsewhere
                .build();
    }

    DefaultSyncService(SyncSettings settings, ComplianceService compliance, HttpClient http, Clock clock,
                       Sleeper sleeper, DoubleSupplier random) {
        this(settings, compliance, s -> http, clock, sleeper, random);
    }

    DefaultSyncService(SyncSettings settings, ComplianceService compliance,
                       java.util.function.Function<SyncSettings, HttpClient> http, Clock clock, Sleeper sleeper,
                       DoubleSupplier random) {
        this.compliance = compliance;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("nacgw-sync-watchdog"));
        this.settings = settings;
        this.graph = graph(settings);
    }

    /** The Graph client for {@code s}: its own HTTP client, retry policy and token cache. */
    private GraphSync graph(SyncSettings s) {
        JsonFactory json = new JsonFactory();
        HttpCaller caller = new HttpCaller(http.apply(s), new RetryPolicy(s, clock, random), sleeper,
                s.requestTimeout(), watchdog, json);
        TokenSource tokens = new TokenSource(s, caller, clock, json);
        return new GraphSync(s, compliance, caller, tokens, new PageParser(json), clock);
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the sync service is closed");
        }
        if (scheduler != null) {
            throw new IllegalStateException("the sync service is already started");
        }
        arm("started");
    }

    /** A new scheduler ticking at once and then every {@link #tickPeriod()}; the caller holds the lock. */
    private void arm(String what) {
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("nacgw-sync"));
        long tick = tickPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::tickSafely, 0, tick, TimeUnit.MILLISECONDS);
        log.info("MDM sync {}: {} every {}, incremental {}, tick {} ms", what, settings.baseUrl(),
                settings.fullInterval(), settings.incrementalInterval().isZero() ? "off"
                        : "every " + settings.incrementalInterval(), tick);
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (scheduler == null) {
                return;
            }
            retire();
        }
        log.info("MDM sync schedule stopped");
    }

    /** Stops the current scheduler's ticks; a tick already running finishes. The caller holds the lock. */
    private void retire() {
        scheduler.shutdown(); // cancels the periodic tick, lets a run in progress finish with its own settings
        retiring.removeIf(ScheduledExecutorService::isTerminated);
        retiring.add(scheduler);
        scheduler = null;
    }

    @Override
    public void reconfigure(SyncSettings next) {
        GraphSync g = graph(next); // no I/O: the token is fetched by the next run
        boolean newSource;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the sync service is closed");
            }
            newSource = !settings.tokenUrl().equals(next.tokenUrl()) || !settings.baseUrl().equals(next.baseUrl());
            settings = next;
            graph = g;
            if (newSource) {
                // another tenant or inventory: its devices are not the ones the mark and the last full sync saw
                source++;
                highWaterMark = null;
                lastFullSuccess = null;
                retireGuard = null;
            }
            if (scheduler != null) {
                retire();
                arm("re-armed");
            }
        }
        log.info("MDM sync settings replaced{}", newSource ? "; new tenant or Graph URL: the next run is a full sync"
                : "; the high-water mark and history are kept");
    }

    /** How often the scheduler looks whether a run is due. */
    synchronized Duration tickPeriod() {
        Duration d = settings.incrementalInterval().isZero() ? settings.fullInterval() : settings.incrementalInterval();
        return d.compareTo(MAX_TICK) > 0 ? MAX_TICK : d;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException | Error e) {
            // an exception would cancel the schedule: log it and keep ticking
            log.error("sync scheduler tick failed", e);
        }
    }

    @Override
    public synchronized void tickNow() {
        if (scheduler != null && !closed) {
            try {
                scheduler.execute(this::tickSafely);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Sets the role that gates the schedule (tests; production passes it to create). */
    void role(ClusterRole role) {
        this.role = role;
    }

    /**
     * Runs whatever is due now: a full sync when none succeeded within the full interval, else an incremental (also
     * at the first tick after this node became the leader); nothing while another node leads.
     */
    SyncReport tick() {
        if (!role.isLeader()) {
            ledAtLastTick = false;
            return null;
        }
        boolean newLeader = !ledAtLastTick;
        ledAtLastTick = true;
        adoptShared();
        Instant now = clock.instant();
        boolean fullDue;
        boolean incrementalDue;
        synchronized (this) {
            fullDue = lastFullSuccess == null || !now.isBefore(lastFullSuccess.plus(settings.fullInterval()));
            incrementalDue = !settings.incrementalInterval().isZero()
                    && (lastRunStart == null || !now.isBefore(lastRunStart.plus(settings.incrementalInterval())));
        }
        if (fullDue) {
            return runFull();
        }
        // a node that has just become the leader (or started) catches up at once: incrementally from the mark another
        // leader left in the store, or fully when it cannot (claim() decides)
        return incrementalDue || newLeader ? runIncremental() : null;
    }

    @Override
    public SyncReport runFull() {
        return run(SyncMode.FULL);
    }

    @Override
    public SyncReport runIncremental() {
        return run(SyncMode.INCREMENTAL);
    }

    @Override
    public Optional<CompletableFuture<SyncReport>> startAsync(SyncMode mode, Executor executor) {
        adoptShared();
        Instant started = clock.instant();
        Claim claim = claim(mode, started);
        if (claim == null) {
            return Optional.empty();
        }
        CompletableFuture<SyncReport> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    done.complete(execute(claim, started));
                } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            release();
            throw e;
        }
        return Optional.of(done);
    }

    private SyncReport run(SyncMode requested) {
        adoptShared();
        Instant started = clock.instant();
        Claim claim = claim(requested, started);
        if (claim == null) {
            log.info("{} sync not started: another run is in progress", requested.wireName());
            return SyncReport.busy(requested, started);
        }
        return execute(claim, started);
    }

    /**
     * The run slot, taken: the mode that will run, the high-water mark it starts from, and the settings (Graph
     * client) and source generation it runs with whatever a reload changes meanwhile.
     */
    private record Claim(SyncMode mode, Instant hwm, GraphSync graph, long source) {
    }

    /** Takes the run slot, or null when a run is in progress. */
    private synchronized Claim claim(SyncMode requested, Instant started) {
        if (runningMode != null) {
            return null;
        }
        // no mark, or one set by a run more than a full interval ago (e.g. read from a store nobody synced into
        // since): a full sync
        boolean markUsable = highWaterMark != null
                && (markRunStarted == null || !markRunStarted.isBefore(started.minus(settings.fullInterval())));
        SyncMode mode = requested == SyncMode.INCREMENTAL && !markUsable ? SyncMode.FULL : requested;
        runningMode = mode;
        lastRunStart = started;
        return new Claim(mode, highWaterMark, graph, source);
    }

    private synchronized void release() {
        runningMode = null;
    }

    private SyncReport execute(Claim claim, Instant started) {
        SyncMode mode = claim.mode();
        GraphSync graph = claim.graph();
        long t0 = System.nanoTime();
        GraphSync.RunStats st = new GraphSync.RunStats();
        Instant newHwm = null;
        String error = null;
        try {
            st.retriesAtStart = graph.retries();
            newHwm = graph.run(mode, claim.hwm(), started, st);
        } catch (SyncFailure e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            // the store failing (StoreException) or a bug: the run fails, the service and the gateway go on
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.debug("sync run failed", e);
        } catch (Error e) {
            release();
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        SyncReport report = new SyncReport(mode, error == null ? SyncReport.Outcome.SUCCEEDED
                : SyncReport.Outcome.FAILED, started, took, st.pages, st.seen, st.changes, st.unchanged, st.stale,
                st.retired, st.warnings.total(), st.warnings.skippedDevices(), graph.retries() - st.retriesAtStart,
                error, st.warnings.futureTimestamps(), st.futureStampsReplaced, st.markClampedFrom,
                st.retireCandidates, st.retireConfirmedPresent, st.retireGuard);
        SyncStatus.MarkClamp clamp = null;
        boolean lowered = mode == SyncMode.INCREMENTAL && error == null && claim.hwm() != null && newHwm != null
                && claim.hwm().isAfter(newHwm);
        if (st.warnings.futureTimestamps() > 0 || lowered) {
            clamp = new SyncStatus.MarkClamp(started, st.warnings.futureTimestamps(),
                    st.warnings.futureTimestamps() > 0 ? st.warnings.latestFuture() : claim.hwm(),
                    error == null ? newHwm : claim.hwm());
        }
        record(report, newHwm, clamp, claim.source());
        return report;
    }

    private void record(SyncReport r, Instant newHwm, SyncStatus.MarkClamp clamp, long runSource) {
        Instant end = clock.instant();
        java.util.Map<String, String> shared = null;
        synchronized (this) {
            boolean sameSource = runSource == source; // a run of the tenant before a reload sets no mark
            lastRun = r;
            runs++;
            totalChanges += r.changesApplied();
            totalRetired += r.retired();
            totalWarnings += r.warnings();
            totalFutureTimestamps += r.futureTimestamps();
            if (clamp != null) {
                clampEvents++;
                lastClamp = clamp;
            }
            if (r.retireGuard() != null) {
                retireGuardEvents++;
                retireGuard = sameSource ? r.retireGuard() : retireGuard;
            } else if (r.succeeded() && r.mode() == SyncMode.FULL && sameSource) {
                retireGuard = null;
            }
            if (r.succeeded()) {
                lastSuccess = end;
                lastError = null;
                if (sameSource) {
                    highWaterMark = newHwm;
                }
                if (r.mode() == SyncMode.FULL && sameSource) {
                    lastFullSuccess = r.started();
                }
                if (sameSource) {
                    markRunStarted = r.started();
                    shared = new java.util.HashMap<>();
                    shared.put(STATE_MARK, highWaterMark == null ? "" : highWaterMark.toString());
                    shared.put(STATE_LAST_FULL, lastFullSuccess == null ? "" : lastFullSuccess.toString());
                    shared.put(STATE_RUN, r.started().toString());
                    shared.put(STATE_SOURCE, sourceId(settings));
                }
            } else {
                failedRuns++;
                lastFailure = end;
                lastError = r.error();
            }
            runningMode = null; // in the same critical section: whoever sees this result sees the slot free
        }
        if (shared != null) {
            persist(shared);
        }
        String summary = r.pages() + " pages, " + r.devicesSeen() + " devices, " + r.changesApplied() + " changed, "
                + r.unchanged() + " unchanged, " + r.staleIgnored() + " stale, " + r.retired() + " retired, "
                + r.warnings() + " warnings, " + r.retries() + " retries";
        if (r.succeeded()) {
            log.info("{} sync done in {} ms: {}", r.mode().wireName(), r.duration().toMillis(), summary);
        } else {
            log.warn("{} sync failed after {} ms ({}); nothing retired, the store keeps serving: {}",
                    r.mode().wireName(), r.duration().toMillis(), summary, r.error());
        }
        if (clamp != null) {
            log.warn("{} sync: {} devices reported a lastSyncDateTime in the future (latest {}); they were stored "
                    + "ordered by nacgw's clock and the high-water mark stays at {}", r.mode().wireName(),
                    clamp.futureTimestamps(), clamp.latestReported(), clamp.mark());
        }
    }

    /**
     * Writes the mark and the last full sync of a run that succeeded to the store (after its pages committed), so
     * that the next leader — another node, or this one after a restart — continues from them. A failed write is
     * logged: this node keeps them in memory, and the next leader syncs from the older values (a fuller sync).
     */
    private void persist(java.util.Map<String, String> state) {
        try {
            compliance.store().writeState(state);
        } catch (RuntimeException e) {
            log.warn("the sync high-water mark was not saved in the store ({}); the next leader starts from the "
                    + "previous one", e.toString());
        }
    }

    /**
     * Takes the mark and the last full sync from the store when a later run (on any node) wrote them for the same
     * tenant and Graph URL: a new leader, or a restarted one, continues incrementally instead of starting with a full
     * sync. Nothing changes when the store is unreachable or holds another source's values.
     */
    private void adoptShared() {
        String source;
        synchronized (this) {
            source = sourceId(settings);
        }
        java.util.Map<String, String> st;
        try {
            st = compliance.store().readState(STATE);
        } catch (RuntimeException e) {
            log.debug("sync state not read from the store: {}", e.toString());
            return;
        }
        if (!source.equals(st.get(STATE_SOURCE)) || st.get(STATE_RUN) == null) {
            return;
        }
        try {
            Instant run = Instant.parse(st.get(STATE_RUN));
            Instant mark = instant(st.get(STATE_MARK));
            Instant full = instant(st.get(STATE_LAST_FULL));
            synchronized (this) {
                if (!source.equals(sourceId(settings)) || runningMode != null
                        || (markRunStarted != null && !run.isAfter(markRunStarted))) {
                    return; // reconfigured meanwhile, a run is going, or this node's values are as new
                }
                markRunStarted = run;
                highWaterMark = mark;
                lastFullSuccess = full;
            }
            log.info("sync continues from the store's high-water mark {} (last full sync {})", mark, full);
        } catch (java.time.format.DateTimeParseException e) {
            log.warn("the sync state in the store is unreadable ({}); ignored", e.getMessage());
        }
    }

    private static Instant instant(String s) {
        return s == null || s.isEmpty() ? null : Instant.parse(s);
    }

    /** Which inventory a mark belongs to: the tenant (token URL) and the Graph URL, hashed to a fixed length. */
    static String sourceId(SyncSettings s) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((s.tokenUrl() + "\n" + s.baseUrl())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public synchronized SyncStatus status() {
        return new SyncStatus(runningMode != null, runningMode, lastSuccess, lastFailure, lastError, lastFullSuccess,
                highWaterMark, lastRun, runs, failedRuns, totalChanges, totalRetired, totalWarnings,
                settings.incrementalOverlap(), totalFutureTimestamps, clampEvents, lastClamp, retireGuard,
                retireGuardEvents);
    }

    @Override
    public void close() {
        java.util.List<ScheduledExecutorService> all;
        long waitMillis;
        synchronized (this) {
            waitMillis = settings.requestTimeout().toMillis() + 5_000;
            if (closed) {
                return;
            }
            closed = true;
            all = new java.util.ArrayList<>(retiring);
            if (scheduler != null) {
                all.add(scheduler);
            }
        }
        for (ScheduledExecutorService s : all) {
            s.shutdownNow();
        }
        for (ScheduledExecutorService s : all) {
            try {
                if (!s.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                    log.warn("the sync run did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watchdog.shutdownNow();
        log.info("MDM sync stopped");
    }
}
