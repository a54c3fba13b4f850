package io.nacgw.sync;

import io.nacgw.core.id.DeviceGuid;

/**
 * The device ids seen by a full sync, as an open-addressing table of (msb, lsb) pairs: 16 to 32 bytes a device
 * instead of ~80 for a {@code HashSet<UUID>}, so the retire pass does not cost more heap than the index itself.
 */
final class GuidSet {
    private long[] table;
    private int size;
    private boolean hasZero;

    GuidSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[cap * 2];
    }

    /** Adds an id; false when it was already present. */
    boolean add(DeviceGuid id) {
        return add(id.msb(), id.lsb());
    }

    boolean contains(DeviceGuid id) {
        return contains(id.msb(), id.lsb());
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private boolean add(long msb, long lsb) {
        if (msb == 0 && lsb == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2 > table.length / 2) {
            grow();
        }
        int mask = table.length / 2 - 1;
        for (int i = slot(msb, lsb, mask); ; i = (i + 1) & mask) {
            long m = table[2 * i];
            long l = table[2 * i + 1];
            if (m == 0 && l == 0) {
                table[2 * i] = msb;
                table[2 * i + 1] = lsb;
                size++;
                return true;
            }
            if (m == msb && l == lsb) {
                return false;
            }
        }
    }

    private boolean contains(long msb, long lsb) {
        if (msb == 0 && lsb == 0) {
            return hasZero;
        }
        int mask = table.length / 2 - 1;
        for (int i = slot(msb, lsb, mask); ; i = (i + 1) & mask) {
            long m = table[2 * i];
            long l = table[2 * i + 1];
            if (m == 0 && l == 0) {
                return false;
            }
            if (m == msb && l == lsb) {
                return true;
            }
        }
    }

    private static int slot(long msb, long lsb, int mask) {
        long h = (msb * 0x9E3779B97F4A7C15L) ^ lsb;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                add(old[i], old[i + 1]);
            }
        }
    }
}
