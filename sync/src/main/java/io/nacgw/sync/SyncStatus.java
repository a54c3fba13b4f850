package io.nacgw.sync;

import java.time.Instant;

/**
 * The connector's state for {@code nacgw sync status} and metrics. Instants are null until the event first happens.
 *
 * @param running             a run is in progress now
 * @param runningMode         its mode, null when idle
 * @param lastSuccess         when the last successful run (of either mode) finished
 * @param lastFailure         when the last failed run finished
 * @param lastError           the error of the last failed run; null again after a later successful run
 * @param lastFullSuccess     when the last successful full sync started (next full sync is due a full interval later)
 * @param highWaterMark       newest {@code lastSyncDateTime} seen; the next incremental sync asks for newer ones
 * @param lastRun             the last finished run (success or failure), null before the first
 * @param runs                runs finished since start (busy refusals not counted)
 * @param failedRuns          runs that failed since start
 * @param totalChangesApplied devices inserted or updated since start (a counter for metrics)
 * @param totalRetired        devices retired since start
 * @param totalWarnings       data warnings since start
 */
public record SyncStatus(boolean running, SyncMode runningMode, Instant lastSuccess, Instant lastFailure,
                         String lastError, Instant lastFullSuccess, Instant highWaterMark, SyncReport lastRun,
                         long runs, long failedRuns, long totalChangesApplied, long totalRetired, long totalWarnings) {
}
