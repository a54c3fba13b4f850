package io.nacgw.loadgen;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class LongSetTest {
    @Test
    void addAndContains_agreeWithAHashSet_throughGrowthAndClear() {
        SplittableRandom random = new SplittableRandom(3);
        LongSet set = new LongSet(10_000);
        Set<Long> truth = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10_000; i++) {
                // random keys, small keys that collide in the low bits, and 0 (the empty slot's value)
                long key = i % 3 == 0 ? random.nextLong() : i % 3 == 1 ? (random.nextInt(5_000) << 20) : 0;
                assertEquals(truth.add(key), set.add(key), "key " + key);
            }
            assertEquals(truth.size(), set.size());
            for (int i = 0; i < 20_000; i++) {
                long probe = i % 2 == 0 ? random.nextLong() : (random.nextInt(10_000) << 20);
                assertEquals(truth.contains(probe), set.contains(probe), "probe " + probe);
            }
            for (long key : truth) {
                assertTrue(set.contains(key));
            }
            set.clear();
            truth.clear();
            assertFalse(set.contains(0));
            assertEquals(0, set.size());
        }
    }

    @Test
    void full_atCapacity_andAddingMoreIsRefused() {
        LongSet set = new LongSet(3);
        set.add(1);
        set.add(2);
        assertFalse(set.full());
        set.add(0);
        assertTrue(set.full());
        assertFalse(set.add(2), "already there: no room needed");
        assertThrows(IllegalStateException.class, () -> set.add(4));
        assertThrows(IllegalArgumentException.class, () -> new LongSet(0));
    }
}
