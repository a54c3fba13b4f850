package io.nacgw.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * What one sync run did. Counts are those reached before the end, also for a failed run (its committed pages
 * stay committed; only retiring waits for a complete full sync).
 *
 * @param mode           what ran (an incremental request without a high-water mark runs as {@link SyncMode#FULL})
 * @param outcome        how it ended
 * @param started        when it started
 * @param duration       how long it took
 * @param pages          pages fetched
 * @param devicesSeen    devices read from the inventory and mapped (skipped devices not included)
 * @param changesApplied devices inserted or updated in the store
 * @param unchanged      devices identical to the stored record, not rewritten
 * @param staleIgnored   updates the store ignored because it holds a newer record (e.g. pushed meanwhile)
 * @param retired        devices marked retired because a complete full sync no longer saw them
 * @param warnings       data warnings: dropped identifiers or fields, unknown enum values, skipped devices
 * @param skippedDevices devices that could not be stored at all (no usable id)
 * @param retries        HTTP requests retried (throttling, 5xx, timeouts)
 * @param error          why the run failed, for operators; null unless {@link Outcome#FAILED} or {@link Outcome#BUSY}
 */
public record SyncReport(SyncMode mode, Outcome outcome, Instant started, Duration duration, long pages,
                         long devicesSeen, long changesApplied, long unchanged, long staleIgnored, long retired,
                         long warnings, long skippedDevices, long retries, String error) {

    /** How a run ended. */
    public enum Outcome {
        /** Every page was read and applied (and, for a full sync, vanished devices retired). */
        SUCCEEDED,
        /** The run stopped with {@link #error()}; nothing was retired. */
        FAILED,
        /** Not run: another run was in progress. */
        BUSY
    }

    /** True when the run completed. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    static SyncReport busy(SyncMode mode, Instant now) {
        return new SyncReport(mode, Outcome.BUSY, now, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                "another sync run is in progress");
    }
}
