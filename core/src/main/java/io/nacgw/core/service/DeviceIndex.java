package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * A compact multimap from identifier index keys to device records: open addressing with linear probing over a
 * {@code long[]} of keys and a parallel array of records, so each identifier costs about 16 bytes instead of the
 * ~60 of a boxed map entry. Readers never block in the common case (optimistic {@link StampedLock} reads, retried
 * under the read lock only when a writer interfered); writers hold the lock for memory operations only.
 *
 * <p>One key may map to several records (a hashed key collision, or a MAC left on a retired device); lookups
 * check every candidate with {@link DeviceRecord#matches} and prefer a managed, then the most recent, record.
 */
final class DeviceIndex {
    private static final int MIN_CAPACITY = 1 << 10;
    private static final double MAX_LOAD = 0.75;

    /** Keys and values published together so a reader never pairs arrays of different generations. */
    private static final class Table {
        final long[] keys;
        final DeviceRecord[] values;

        Table(int capacity) {
            keys = new long[capacity];
            values = new DeviceRecord[capacity];
        }
    }

    private final StampedLock lock = new StampedLock();
    private volatile Table table;
    private int slotsUsed;
    private int devices;

    DeviceIndex(int expectedDevices) {
        table = new Table(capacityFor((long) expectedDevices * 4));
    }

    private static int capacityFor(long keys) {
        long needed = (long) Math.ceil(keys / MAX_LOAD);
        int cap = MIN_CAPACITY;
        while (cap < needed && cap < (1 << 30)) {
            cap <<= 1;
        }
        return cap;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The best record carrying {@code id}, or null. Never blocks unless a writer is mid-update. */
    DeviceRecord get(DeviceIdentifier id) {
        long key = id.indexKey();
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            DeviceRecord r = probe(table, key, id);
            if (lock.validate(stamp)) {
                return r;
            }
        }
        stamp = lock.readLock();
        try {
            return probe(table, key, id);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static DeviceRecord probe(Table t, long key, DeviceIdentifier id) {
        long[] keys = t.keys;
        DeviceRecord[] values = t.values;
        int mask = keys.length - 1;
        DeviceRecord best = null;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            DeviceRecord v = values[i];
            if (v == null) {
                break;
            }
            if (keys[i] == key && v.matches(id)) {
                best = best == null ? v : better(best, v);
            }
        }
        return best;
    }

    private static DeviceRecord better(DeviceRecord a, DeviceRecord b) {
        boolean am = a.managementState() == ManagementState.MANAGED;
        boolean bm = b.managementState() == ManagementState.MANAGED;
        if (am != bm) {
            return am ? a : b;
        }
        return b.lastModifiedEpochMilli() > a.lastModifiedEpochMilli() ? b : a;
    }

    /**
     * Replaces the device's record with {@code record} unless the resident one is as new or newer.
     *
     * @return the replaced record (null when the device was not resident), or {@code record} itself when it was
     *         stale and nothing changed
     */
    DeviceRecord putIfNewer(DeviceRecord record, int maxDevices) {
        long stamp = lock.writeLock();
        try {
            DeviceGuid id = record.deviceId();
            DeviceRecord old = probe(table, id.indexKey(), id);
            if (old != null && old.lastModifiedEpochMilli() >= record.lastModifiedEpochMilli()) {
                return record;
            }
            if (old == null && devices >= maxDevices) {
                return null; // full: the caller serves this device from the store
            }
            if (old != null) {
                removeLocked(old);
            }
            addLocked(record);
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The resident record of this device, or null. */
    DeviceRecord findById(DeviceGuid id) {
        return get(id);
    }

    /** Removes the device; returns the removed record or null. */
    DeviceRecord remove(DeviceGuid id) {
        long stamp = lock.writeLock();
        try {
            DeviceRecord old = probe(table, id.indexKey(), id);
            if (old != null) {
                removeLocked(old);
            }
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void addLocked(DeviceRecord r) {
        int[] keyCount = {0};
        r.forEachIndexKey(k -> keyCount[0]++);
        if (slotsUsed + keyCount[0] > table.keys.length * MAX_LOAD) {
            resize(capacityFor((long) (slotsUsed + keyCount[0]) * 2));
        }
        r.forEachIndexKey(k -> insertSlot(table, k, r));
        slotsUsed += keyCount[0];
        devices++;
    }

    private static void insertSlot(Table t, long key, DeviceRecord r) {
        int mask = t.keys.length - 1;
        int i = slot(key, mask);
        while (t.values[i] != null) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.values[i] = r;
    }

    private void removeLocked(DeviceRecord r) {
        Table t = table;
        int[] removed = {0};
        r.forEachIndexKey(k -> {
            if (deleteSlot(t, k, r)) {
                removed[0]++;
            }
        });
        slotsUsed -= removed[0];
        devices--;
    }

    /** Deletes the slot holding (key, r) by identity, then shifts later entries back (no tombstones). */
    private static boolean deleteSlot(Table t, long key, DeviceRecord r) {
        long[] keys = t.keys;
        DeviceRecord[] values = t.values;
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null && !(keys[i] == key && values[i] == r)) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // move j into the gap unless its home lies cyclically in (gap, j]
            boolean homeBetween = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
            if (!homeBetween) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = 0;
        values[gap] = null;
        return true;
    }

    private void resize(int capacity) {
        Table old = table;
        Table t = new Table(capacity);
        for (int i = 0; i < old.keys.length; i++) {
            if (old.values[i] != null) {
                insertSlot(t, old.keys[i], old.values[i]);
            }
        }
        table = t;
    }

    /** Number of resident devices. */
    int size() {
        long stamp = lock.readLock();
        try {
            return devices;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Visits each resident device once (under the read lock: memory only, keep {@code sink} short). */
    void forEach(Consumer<DeviceRecord> sink) {
        long stamp = lock.readLock();
        try {
            Table t = table;
            for (int i = 0; i < t.keys.length; i++) {
                DeviceRecord r = t.values[i];
                // each device is visited at its Intune-id slot only
                if (r != null && t.keys[i] == r.deviceIdIndexKey()) {
                    sink.accept(r);
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
