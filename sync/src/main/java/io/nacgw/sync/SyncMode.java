package io.nacgw.sync;

/** What a sync run covers. */
public enum SyncMode {
    /** Every device in the inventory; devices no longer there are marked retired when the run completes. */
    FULL,
    /** Devices that checked in since the high-water mark ({@code lastSyncDateTime gt ...}); retires nothing. */
    INCREMENTAL;

    /** Lower-case name for CLI output and metric tags. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
