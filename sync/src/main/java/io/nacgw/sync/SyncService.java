package io.nacgw.sync;

import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.service.ComplianceService;

/**
 * Keeps the compliance store current from an MDM inventory shaped like Microsoft Graph
 * {@code /deviceManagement/managedDevices}: scheduled full syncs (which retire vanished devices) and incremental
 * syncs between them, on its own thread, plus runs on demand. Pages are written through
 * {@link ComplianceService#upsertAll}, so answers change as each page commits, and lookups keep being served from
 * memory while a run is going or failing.
 *
 * <p>Only one run at a time: a run requested while another is in progress returns at once with
 * {@link SyncReport.Outcome#BUSY}. (In-process only; several gateway nodes on one PostgreSQL store need a shared
 * leader: {@link #create(SyncSettings, ComplianceService, ClusterRole)}.)
 */
public interface SyncService extends AutoCloseable {

    /** A connector for {@code settings} writing into {@code compliance}; nothing runs until {@link #start()}. */
    static SyncService create(SyncSettings settings, ComplianceService compliance) {
        return DefaultSyncService.create(settings, compliance, ClusterRole.solo("local"));
    }

    /**
     * As {@link #create(SyncSettings, ComplianceService)}, for one node of several: the schedule runs only while
     * {@code role} says this node leads (runs on demand are the caller's to refuse).
     */
    static SyncService create(SyncSettings settings, ComplianceService compliance, ClusterRole role) {
        return DefaultSyncService.create(settings, compliance, role);
    }

    /**
     * Starts the schedule on thread {@code nacgw-sync}: a full sync at once, then incremental syncs every
     * {@code sync.incrementalInterval} and a full sync every {@code sync.fullInterval} (a failed full sync is
     * tried again at the next tick, at most a few minutes later).
     *
     * @throws IllegalStateException when already started or closed
     */
    void start();

    /**
     * Looks at once, on the scheduler thread, whether a run is due (a node that just became the leader starts its
     * schedule now instead of at the next tick). Does nothing before {@link #start()} or after {@link #close()}.
     */
    void tickNow();

    /** Runs a full sync now on the calling thread (blocking) and reports it; BUSY if a run is in progress. */
    SyncReport runFull();

    /**
     * Runs an incremental sync now on the calling thread; without a high-water mark (no successful run yet) this
     * is a full sync. BUSY if a run is in progress.
     */
    SyncReport runIncremental();

    /**
     * Takes the run slot now, on the calling thread, and runs {@code mode} on {@code executor}: the check for a run
     * in progress and the claim are one atomic step, so an answer "started" is never followed by a BUSY run.
     * Empty when a run is in progress.
     *
     * @throws java.util.concurrent.RejectedExecutionException when {@code executor} refuses (the slot is released)
     */
    java.util.Optional<java.util.concurrent.CompletableFuture<SyncReport>> startAsync(SyncMode mode,
                                                                                    java.util.concurrent.Executor executor);

    /** The current state, one consistent snapshot; cheap, never blocks on a run. */
    SyncStatus status();

    /** Stops the schedule and interrupts a run in progress (which then fails and retires nothing). */
    @Override
    void close();
}
