package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * A compact multimap from identifier index keys to device records: open addressing with linear probing over a
 * {@code long[]} of keys and a parallel {@code int[]} of record numbers, so each identifier costs about 12 bytes
 * instead of the ~60 of a boxed map entry. The records themselves sit in one array, each device at its own number
 * (a freed number is reused). The hash table holds no references: a million devices are placed by about a hundred
 * thousand writes into the record array, in order, instead of four million reference writes scattered over a table
 * the size of the old generation's largest objects, each of which the garbage collector would have to track
 * (G1's card refinement took a third of the start-up's CPU that way). Readers never block in the common case
 * (optimistic {@link StampedLock} reads, retried under the read lock only when a writer interfered); writers hold
 * the lock for memory operations only.
 *
 * <p>One key may map to several records (a hashed key collision, or a MAC left on a retired device); lookups
 * check every candidate with {@link DeviceRecord#matches} and prefer a managed, then the most recent, record.
 */
final class DeviceIndex {
    private static final int MIN_CAPACITY = 1 << 10;
    private static final double MAX_LOAD = 0.75;
    /** An empty slot of {@link Table#refs}; a used one holds a record number plus one. */
    private static final int EMPTY = 0;

    /** Keys, record numbers and records published together so a reader never pairs arrays of different generations. */
    private static final class Table {
        final long[] keys;
        final int[] refs;
        final DeviceRecord[] records;

        Table(long[] keys, int[] refs, DeviceRecord[] records) {
            this.keys = keys;
            this.refs = refs;
            this.records = records;
        }
    }

    private final StampedLock lock = new StampedLock();
    private volatile Table table;
    private int slotsUsed;
    private int devices;
    /** Record numbers below this have been handed out; freed ones wait in {@link #free}. */
    private int recordsUsed;
    private int[] free = new int[16];
    private int freeCount;

    DeviceIndex(int expectedDevices) {
        int cap = capacityFor((long) expectedDevices * 4);
        table = new Table(new long[cap], new int[cap], new DeviceRecord[Math.max(expectedDevices, 16)]);
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
        int[] refs = t.refs;
        DeviceRecord[] records = t.records;
        int mask = keys.length - 1;
        DeviceRecord best = null;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            int ref = refs[i];
            if (ref == EMPTY) {
                break;
            }
            if (keys[i] == key) {
                DeviceRecord v = record(records, ref);
                if (v != null && v.matches(id)) {
                    best = best == null ? v : better(best, v);
                }
            }
        }
        return best;
    }

    /**
     * The record a slot refers to; null when an optimistic reader raced a writer (a number not yet or no longer
     * filled in, or beyond the array it read), which the reader's validation then rejects.
     */
    private static DeviceRecord record(DeviceRecord[] records, int ref) {
        return ref <= records.length ? records[ref - 1] : null;
    }

    private static DeviceRecord better(DeviceRecord a, DeviceRecord b) {
        boolean am = a.managementState() == ManagementState.MANAGED;
        boolean bm = b.managementState() == ManagementState.MANAGED;
        if (am != bm) {
            return am ? a : b;
        }
        return b.lastModifiedEpochMilli() > a.lastModifiedEpochMilli() ? b : a;
    }

    /** The slot reference ({@code number + 1}) of the resident record of this device, or {@link #EMPTY}; under the lock. */
    private static int refOf(Table t, DeviceGuid id) {
        long key = id.indexKey();
        int mask = t.keys.length - 1;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            int ref = t.refs[i];
            if (ref == EMPTY) {
                break;
            }
            if (t.keys[i] == key && t.records[ref - 1].matches(id)) {
                return ref;
            }
        }
        return EMPTY;
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
            return putLocked(record, maxDevices);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * {@link #putIfNewer} of each record under one hold of the lock (a start-up's load hands over thousands at once).
     *
     * @return how many of the records' devices are resident afterwards (added, replaced, or as new or newer already)
     */
    int putAllIfNewer(java.util.List<DeviceRecord> records, int maxDevices) {
        long stamp = lock.writeLock();
        try {
            int resident = 0;
            for (DeviceRecord r : records) {
                int before = devices;
                if (putLocked(r, maxDevices) != null || devices > before) { // else refused: full
                    resident++;
                }
            }
            return resident;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private DeviceRecord putLocked(DeviceRecord record, int maxDevices) {
        int ref = refOf(table, record.deviceId());
        DeviceRecord old = ref == EMPTY ? null : table.records[ref - 1];
        if (old != null && old.lastModifiedEpochMilli() >= record.lastModifiedEpochMilli()) {
            return record;
        }
        if (old == null && devices >= maxDevices) {
            return null; // full: the caller serves this device from the store
        }
        if (old != null) {
            removeKeysLocked(old, ref); // the device keeps its number
        } else {
            ref = allocateLocked();
            devices++;
        }
        addLocked(record, ref);
        return old;
    }

    /** The resident record of this device, or null. */
    DeviceRecord findById(DeviceGuid id) {
        return get(id);
    }

    /** Removes the device; returns the removed record or null. */
    DeviceRecord remove(DeviceGuid id) {
        long stamp = lock.writeLock();
        try {
            int ref = refOf(table, id);
            if (ref == EMPTY) {
                return null;
            }
            DeviceRecord old = table.records[ref - 1];
            removeKeysLocked(old, ref);
            freeLocked(ref);
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** A free record number's reference, growing the record array when every number is in use. */
    private int allocateLocked() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        Table t = table;
        if (recordsUsed == t.records.length) {
            table = new Table(t.keys, t.refs, Arrays.copyOf(t.records, t.records.length * 2));
        }
        return ++recordsUsed;
    }

    /** Empties a device's record number and keeps it for the next new device. */
    private void freeLocked(int ref) {
        table.records[ref - 1] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = ref;
        devices--;
    }

    private void addLocked(DeviceRecord r, int ref) {
        int[] keyCount = {0};
        r.forEachIndexKey(k -> keyCount[0]++);
        if (slotsUsed + keyCount[0] > table.keys.length * MAX_LOAD) {
            resize(capacityFor((long) (slotsUsed + keyCount[0]) * 2));
        }
        Table t = table;
        t.records[ref - 1] = r;
        r.forEachIndexKey(k -> insertSlot(t, k, ref));
        slotsUsed += keyCount[0];
    }

    private static void insertSlot(Table t, long key, int ref) {
        int mask = t.keys.length - 1;
        int i = slot(key, mask);
        while (t.refs[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        t.keys[i] = key;
        t.refs[i] = ref;
    }

    private void removeKeysLocked(DeviceRecord r, int ref) {
        Table t = table;
        int[] removed = {0};
        r.forEachIndexKey(k -> {
            if (deleteSlot(t, k, ref)) {
                removed[0]++;
            }
        });
        slotsUsed -= removed[0];
    }

    /** Deletes the slot holding (key, ref), then shifts later entries back (no tombstones). */
    private static boolean deleteSlot(Table t, long key, int ref) {
        long[] keys = t.keys;
        int[] refs = t.refs;
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (refs[i] != EMPTY && !(keys[i] == key && refs[i] == ref)) {
            i = (i + 1) & mask;
        }
        if (refs[i] == EMPTY) {
            return false;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; refs[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // move j into the gap unless its home lies cyclically in (gap, j]
            boolean homeBetween = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
            if (!homeBetween) {
                keys[gap] = keys[j];
                refs[gap] = refs[j];
                gap = j;
            }
        }
        keys[gap] = 0;
        refs[gap] = EMPTY;
        return true;
    }

    private void resize(int capacity) {
        Table old = table;
        Table t = new Table(new long[capacity], new int[capacity], old.records);
        for (int i = 0; i < old.keys.length; i++) {
            if (old.refs[i] != EMPTY) {
                insertSlot(t, old.keys[i], old.refs[i]);
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
            DeviceRecord[] records = table.records;
            for (int i = 0; i < recordsUsed; i++) {
                if (records[i] != null) {
                    sink.accept(records[i]);
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
