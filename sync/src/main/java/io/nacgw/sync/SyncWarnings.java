package io.nacgw.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Data problems met during one run (a dropped identifier, an unknown enum value, a skipped device): counted per
 * kind, and logged at WARN only for the first {@value #LOGGED_PER_RUN} of the run so a tenant full of odd values
 * cannot flood the log. A page is counted in a {@link #child()} and {@link #absorb absorbed} once it is applied,
 * so a page fetched twice (retry after a broken body) is not counted twice.
 */
final class SyncWarnings {
    private static final Logger log = LoggerFactory.getLogger(SyncWarnings.class);
    static final int LOGGED_PER_RUN = 20;

    private final AtomicInteger logBudget;
    private final Map<String, Long> byKind = new TreeMap<>();
    private long total;
    private long skippedDevices;
    private long futureTimestamps;
    private java.time.Instant latestFuture;

    SyncWarnings() {
        this(new AtomicInteger(LOGGED_PER_RUN + 1));
    }

    private SyncWarnings(AtomicInteger logBudget) {
        this.logBudget = logBudget;
    }

    /** A counter for one page that shares this run's log budget. */
    SyncWarnings child() {
        return new SyncWarnings(logBudget);
    }

    /** Adds a child's counts to this one. */
    void absorb(SyncWarnings page) {
        total += page.total;
        skippedDevices += page.skippedDevices;
        futureTimestamps += page.futureTimestamps;
        if (page.latestFuture != null && (latestFuture == null || page.latestFuture.isAfter(latestFuture))) {
            latestFuture = page.latestFuture;
        }
        page.byKind.forEach((k, v) -> byKind.merge(k, v, Long::sum));
    }

    /** Counts a warning of {@code kind} (e.g. "imei dropped") about device {@code deviceId}. */
    void warn(String kind, String deviceId, String detail) {
        total++;
        byKind.merge(kind, 1L, Long::sum);
        int left = logBudget.getAndDecrement();
        if (left > 1) {
            log.warn("managed device {}: {}: {}", printable(deviceId), kind, detail);
        } else if (left == 1) {
            log.warn("further data warnings in this sync run are counted, not logged");
        }
    }

    /** Counts a device that could not be stored at all. */
    void skipDevice(String deviceId, String why) {
        skippedDevices++;
        warn("device skipped", deviceId, why);
    }

    /** Counts a device whose {@code lastSyncDateTime} lies beyond the inventory's clock (plus skew). */
    void future(String deviceId, java.time.Instant reported, java.time.Instant inventoryNow) {
        futureTimestamps++;
        if (latestFuture == null || reported.isAfter(latestFuture)) {
            latestFuture = reported;
        }
        warn("lastSyncDateTime in the future", deviceId, reported + " is after the inventory's clock (" + inventoryNow
                + "); stored, ordered by the time nacgw read it, and kept out of the high-water mark");
    }

    long futureTimestamps() {
        return futureTimestamps;
    }

    /** The latest future {@code lastSyncDateTime} seen, or null. */
    java.time.Instant latestFuture() {
        return latestFuture;
    }

    long total() {
        return total;
    }

    long skippedDevices() {
        return skippedDevices;
    }

    /** Counts per kind, for the run summary. */
    Map<String, Long> byKind() {
        return Map.copyOf(byKind);
    }

    /** Caps and escapes a value from the MDM before it reaches a log line or a message. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 80) + 3);
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > 80) {
            sb.append("...");
        }
        return sb.toString();
    }
}
