package io.nacgw.core.store;

/** What an upsert did. */
public enum UpsertOutcome {
    /** A new device was stored. */
    INSERTED,
    /** A stored device was replaced by a newer record. */
    UPDATED,
    /** Ignored: the stored record's MDM timestamp is as new as or newer than the update's. */
    STALE;

    /** True when the store changed. */
    public boolean applied() {
        return this != STALE;
    }
}
