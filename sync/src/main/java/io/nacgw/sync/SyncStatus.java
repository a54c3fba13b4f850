package io.nacgw.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * The connector's state for {@code nacgw sync status} and metrics, taken atomically: a status that shows a run's
 * result never shows that run as still running. Instants are null until the event first happens.
 *
 * @param running             a run is in progress now
 * @param runningMode         its mode, null when idle
 * @param lastSuccess         when the last successful run (of either mode) finished
 * @param lastFailure         when the last failed run finished
 * @param lastError           the error of the last failed run; null again after a later successful run
 * @param lastFullSuccess     when the last successful full sync started (next full sync is due a full interval later)
 * @param highWaterMark       newest {@code lastSyncDateTime} seen (never later than the start of the run that saw
 *                            it); the next incremental sync asks for newer ones, less {@code incrementalOverlap}
 * @param lastRun             the last finished run (success or failure), null before the first
 * @param runs                runs finished since start (busy refusals not counted)
 * @param failedRuns          runs that failed since start
 * @param totalChangesApplied devices inserted or updated since start (a counter for metrics)
 * @param totalRetired        devices retired since start
 * @param totalWarnings       data warnings since start
 * @param incrementalOverlap  {@code sync.incrementalOverlap}
 * @param totalFutureTimestamps devices seen with a {@code lastSyncDateTime} in the future since start
 * @param clampEvents         runs that met a future timestamp, or lowered a high-water mark beyond their start
 * @param lastClamp           the latest such run, null if none
 * @param retireGuard         the guard held by the last full sync that got as far as retiring; null when that sync
 *                            retired normally (or none did yet)
 * @param retireGuardEvents   full syncs whose retiring the guard held back since start
 */
public record SyncStatus(boolean running, SyncMode runningMode, Instant lastSuccess, Instant lastFailure,
                         String lastError, Instant lastFullSuccess, Instant highWaterMark, SyncReport lastRun,
                         long runs, long failedRuns, long totalChangesApplied, long totalRetired, long totalWarnings,
                         Duration incrementalOverlap, long totalFutureTimestamps, long clampEvents,
                         MarkClamp lastClamp, SyncReport.RetireGuard retireGuard, long retireGuardEvents) {

    /**
     * A run that met a timestamp in the future.
     *
     * @param runStarted       when the run started
     * @param futureTimestamps devices in that run whose {@code lastSyncDateTime} lay in the future
     * @param latestReported   the latest such time, or the out-of-range mark that was lowered
     * @param mark             the high-water mark the run set instead
     */
    public record MarkClamp(Instant runStarted, long futureTimestamps, Instant latestReported, Instant mark) {
    }
}
