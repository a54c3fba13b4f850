package io.nacgw.loadgen;

import java.util.Arrays;

/**
 * A set of longs of bounded size without boxing: open addressing, linear probing, at most half full, grown by doubling
 * (hundreds of source ports each hold two, most of them small). A
 * {@code HashSet<Long>} of recently accepted answers cost the generator a boxed Long and a node per answer, about
 * 6% of its event loop's CPU in a profile. Not thread-safe.
 */
final class LongSet {
    private static final int INITIAL_SLOTS = 64;
    private long[] slots;
    private int mask;
    private final int capacity;
    private boolean hasZero;
    private int size;

    /** @param capacity the most keys it holds; {@link #full()} says when it has that many */
    LongSet(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity must be 1 to 2^28, got " + capacity);
        }
        this.capacity = capacity;
        this.slots = new long[INITIAL_SLOTS];
        this.mask = INITIAL_SLOTS - 1;
    }

    /** Adds {@code key}; false when it was there already. Throws when full: check {@link #full()} first. */
    boolean add(long key) {
        if (key == 0) {
            if (hasZero) {
                return false;
            }
            checkRoom();
            hasZero = true;
            size++;
            return true;
        }
        int i = slotOf(key);
        if (slots[i] != 0) {
            return false;
        }
        checkRoom();
        slots[i] = key;
        size++;
        if (2 * size > slots.length) {
            grow();
        }
        return true;
    }

    boolean contains(long key) {
        if (key == 0) {
            return hasZero;
        }
        return slots[slotOf(key)] != 0;
    }

    /** The slot holding {@code key} (not 0), else the empty slot where it would go. */
    private int slotOf(long key) {
        int i = index(key);
        while (slots[i] != 0 && slots[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    boolean full() {
        return size >= capacity;
    }

    int size() {
        return size;
    }

    /** Empties the set; it keeps its grown table. */
    void clear() {
        Arrays.fill(slots, 0);
        hasZero = false;
        size = 0;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length - 1;
        for (long key : old) {
            if (key != 0) {
                int i = index(key);
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = key;
            }
        }
    }

    private void checkRoom() {
        if (size >= capacity) {
            throw new IllegalStateException("set of " + capacity + " is full");
        }
    }

    private int index(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: authenticator bytes are random, but keep it mixed
        return (int) (h >>> 32) & mask;
    }
}
