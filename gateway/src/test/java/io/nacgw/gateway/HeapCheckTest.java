package io.nacgw.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class HeapCheckTest {
    private static final long MIB = 1L << 20;

    @Test
    void recommended_isBasePlusAKibPerDevice_roundedTo128Mib() {
        assertEquals("-Xmx256m", HeapCheck.recommendedXmx(0));
        assertEquals("-Xmx1280m", HeapCheck.recommendedXmx(1_000_000));
        assertEquals("-Xmx5248m", HeapCheck.recommendedXmx(5_000_000));
    }

    @Test
    void explicitHeapBigEnough_noWarning() {
        assertEquals(List.of(), HeapCheck.warnings(1280 * MIB, true, 1_000_000, 900_000));
    }

    @Test
    void heapTooSmallForMaxDevices_warnsWithTheFlagAndWhatItHolds() {
        List<String> w = HeapCheck.warnings(512 * MIB, true, 1_000_000, 1_000);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("index.maxDevices=1000000") && w.get(0).contains("-Xmx1280m")
                && w.get(0).contains("about 262144"), w.get(0));
    }

    @Test
    void heapTooSmallForTheDevicesLoadedNow_saysSo() {
        List<String> w = HeapCheck.warnings(512 * MIB, true, 5_000_000, 600_000);
        assertTrue(w.get(0).contains("too small for the 600000 devices in memory now") && w.get(0).contains("-Xmx896m"), w.get(0));
    }

    @Test
    void noXmx_warnsWithASizeForTheIndex() {
        List<String> w = HeapCheck.warnings(6000 * MIB, false, 5_000_000, 300_000);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("no -Xmx given") && w.get(0).contains("-Xmx896m for up to 600000 devices"), w.get(0));
    }
}
