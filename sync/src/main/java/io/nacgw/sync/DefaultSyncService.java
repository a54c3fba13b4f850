package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

/** {@link SyncService} with an in-process run guard and a single scheduler thread. */
final class DefaultSyncService implements SyncService {
    private static final Logger log = LoggerFactory.getLogger(DefaultSyncService.class);
    /** Longest pause between scheduler ticks, so a failed full sync is retried within minutes. */
    static final Duration MAX_TICK = Duration.ofMinutes(5);

    private final SyncSettings settings;
    private final GraphSync graph;
    private final Clock clock;
    private final ScheduledExecutorService watchdog;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile SyncMode runningMode;
    private ScheduledExecutorService scheduler;
    private boolean closed;

    // guarded by this
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private Instant lastFullSuccess;
    private Instant lastRunStart;
    private Instant highWaterMark;
    private SyncReport lastRun;
    private long runs;
    private long failedRuns;
    private long totalChanges;
    private long totalRetired;
    private long totalWarnings;

    static DefaultSyncService create(SyncSettings settings, ComplianceService compliance) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not carry the bearer token elsewhere
                .build();
        return new DefaultSyncService(settings, compliance, http, Clock.systemUTC(), Sleeper.REAL,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    DefaultSyncService(SyncSettings settings, ComplianceService compliance, HttpClient http, Clock clock,
                       Sleeper sleeper, DoubleSupplier random) {
        this.settings = settings;
        this.clock = clock;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nacgw-sync-watchdog");
            t.setDaemon(true);
            return t;
        });
        JsonFactory json = new JsonFactory();
        HttpCaller caller = new HttpCaller(http, new RetryPolicy(settings, clock, random), sleeper,
                settings.requestTimeout(), watchdog, json);
        TokenSource tokens = new TokenSource(settings, caller, clock, json);
        this.graph = new GraphSync(settings, compliance, caller, tokens, new PageParser(json), clock);
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the sync service is closed");
        }
        if (scheduler != null) {
            throw new IllegalStateException("the sync service is already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nacgw-sync");
            t.setDaemon(true);
            return t;
        });
        long tick = tickPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::tickSafely, 0, tick, TimeUnit.MILLISECONDS);
        log.info("MDM sync started: {} every {}, incremental {}, tick {} ms", settings.baseUrl(),
                settings.fullInterval(), settings.incrementalInterval().isZero() ? "off"
                        : "every " + settings.incrementalInterval(), tick);
    }

    /** How often the scheduler looks whether a run is due. */
    Duration tickPeriod() {
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

    /** Runs whatever is due now: a full sync when none succeeded within the full interval, else an incremental. */
    SyncReport tick() {
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
        return incrementalDue ? runIncremental() : null;
    }

    @Override
    public SyncReport runFull() {
        return run(SyncMode.FULL);
    }

    @Override
    public SyncReport runIncremental() {
        return run(SyncMode.INCREMENTAL);
    }

    private SyncReport run(SyncMode requested) {
        Instant started = clock.instant();
        if (!running.compareAndSet(false, true)) {
            log.info("{} sync not started: another run is in progress", requested.wireName());
            return SyncReport.busy(requested, started);
        }
        try {
            Instant hwm;
            synchronized (this) {
                hwm = highWaterMark;
                lastRunStart = started;
            }
            SyncMode mode = requested == SyncMode.INCREMENTAL && hwm == null ? SyncMode.FULL : requested;
            runningMode = mode;
            long t0 = System.nanoTime();
            GraphSync.RunStats st = new GraphSync.RunStats();
            st.retriesAtStart = graph.retries();
            Instant newHwm = null;
            String error = null;
            try {
                newHwm = graph.run(mode, hwm, started, st);
            } catch (SyncFailure e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                // the store failing (StoreException) or a bug: the run fails, the service and the gateway go on
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                log.debug("sync run failed", e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            SyncReport report = new SyncReport(mode, error == null ? SyncReport.Outcome.SUCCEEDED
                    : SyncReport.Outcome.FAILED, started, took, st.pages, st.seen, st.changes, st.unchanged, st.stale,
                    st.retired, st.warnings.total(), st.warnings.skippedDevices(), graph.retries() - st.retriesAtStart,
                    error);
            record(report, newHwm);
            return report;
        } finally {
            runningMode = null;
            running.set(false);
        }
    }

    private void record(SyncReport r, Instant newHwm) {
        Instant end = clock.instant();
        synchronized (this) {
            lastRun = r;
            runs++;
            totalChanges += r.changesApplied();
            totalRetired += r.retired();
            totalWarnings += r.warnings();
            if (r.succeeded()) {
                lastSuccess = end;
                lastError = null;
                highWaterMark = newHwm;
                if (r.mode() == SyncMode.FULL) {
                    lastFullSuccess = r.started();
                }
            } else {
                failedRuns++;
                lastFailure = end;
                lastError = r.error();
            }
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
    }

    @Override
    public synchronized SyncStatus status() {
        return new SyncStatus(running.get(), runningMode, lastSuccess, lastFailure, lastError, lastFullSuccess,
                highWaterMark, lastRun, runs, failedRuns, totalChanges, totalRetired, totalWarnings);
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                if (!s.awaitTermination(settings.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
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
