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
 * @param unchanged      devices identical to the stored record, not rewritten (an incremental's overlap re-reads
 *                       devices it already has: they land here)
 * @param staleIgnored   updates the store ignored because it holds a newer record (e.g. pushed meanwhile)
 * @param retired        devices marked retired because a complete full sync no longer saw them and the inventory
 *                       answered 404 for each
 * @param warnings       data warnings: dropped identifiers or fields, unknown enum values, skipped devices
 * @param skippedDevices devices that could not be stored at all (no usable id)
 * @param retries        HTTP requests retried (throttling, 5xx, timeouts)
 * @param error          why the run failed, for operators; null unless {@link Outcome#FAILED} or {@link Outcome#BUSY}
 * @param futureTimestamps devices whose {@code lastSyncDateTime} lay in the future: stored with a warning, ordered
 *                       by the time nacgw read them and kept out of the high-water mark
 * @param futureStampsReplaced stored records stamped in the future that this run's newer observation replaced
 * @param markClampedFrom the high-water mark this run would have set beyond its own start, had it not been clamped
 *                       to the start; null when no clamp was needed
 * @param retireCandidates devices a full sync found missing from its listing
 * @param retireConfirmedPresent of those, devices the inventory still had when asked one by one: kept, not retired
 * @param retireGuard    set when so many devices were missing that the full sync retired none
 */
public record SyncReport(SyncMode mode, Outcome outcome, Instant started, Duration duration, long pages,
                         long devicesSeen, long changesApplied, long unchanged, long staleIgnored, long retired,
                         long warnings, long skippedDevices, long retries, String error, long futureTimestamps,
                         long futureStampsReplaced, Instant markClampedFrom, long retireCandidates,
                         long retireConfirmedPresent, RetireGuard retireGuard) {

    /** How a run ended. */
    public enum Outcome {
        /** Every page was read and applied (and, for a full sync, vanished devices retired). */
        SUCCEEDED,
        /** The run stopped with {@link #error()}; nothing was retired. */
        FAILED,
        /** Not run: another run was in progress. */
        BUSY
    }

    /**
     * A full sync that retired nothing because too many devices were missing from its listing.
     *
     * @param at         when the guard held
     * @param candidates devices missing from the listing
     * @param fleet      devices known and not retired before the run retired any
     * @param threshold  the most a full sync may retire: {@code sync.retireGuardPercent} of the fleet, at least
     *                   {@code sync.retireGuardMinimum}
     */
    public record RetireGuard(Instant at, long candidates, long fleet, long threshold) {
    }

    /** True when the run completed. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    static SyncReport busy(SyncMode mode, Instant now) {
        return new SyncReport(mode, Outcome.BUSY, now, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                "another sync run is in progress", 0, 0, null, 0, 0, null);
    }
}
