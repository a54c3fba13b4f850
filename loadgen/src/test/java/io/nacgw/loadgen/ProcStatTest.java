package io.nacgw.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ProcStatTest {
    @Test
    void parse_commandWithSpacesAndParentheses_readsUtimePlusStime() {
        String line = "4242 (free radius) (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 130 0 0 20 0 8 0 100 0 0";
        assertEquals(3.8, ProcStat.parseCpuSeconds(line), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parseCpuSeconds("garbage"));
    }

    @Test
    void cpuSeconds_ownProcess_isReadable_missingProcess_isMinusOne() {
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
            assertTrue(ProcStat.cpuSeconds(ProcessHandle.current().pid()) > 0);
        }
        assertEquals(-1, ProcStat.cpuSeconds(Long.MAX_VALUE));
    }
}
