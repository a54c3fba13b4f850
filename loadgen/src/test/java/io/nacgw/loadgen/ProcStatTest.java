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
    void cpuSeconds_includesChildProcesses() throws Exception {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            return; // not Linux
        }
        // a busy child: its CPU must show up in ours
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done; sleep 5").start();
        try {
            long me = ProcessHandle.current().pid();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && !ProcStat.children(me).contains(child.pid())) {
                Thread.sleep(10);
            }
            assertTrue(ProcStat.children(me).contains(child.pid()), "child not listed");
            double childCpu = 0;
            while (System.nanoTime() < deadline && childCpu < 0.2) {
                Thread.sleep(50);
                childCpu = ProcStat.cpuSeconds(child.pid());
            }
            assertTrue(childCpu >= 0.2, "child CPU " + childCpu);
            double self = ProcStat.parseCpuSeconds(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")));
            assertTrue(ProcStat.cpuSeconds(me) >= self + childCpu - 0.05);
        } finally {
            child.destroy();
        }
    }

    @Test
    void cpuSeconds_ownProcess_isReadable_missingProcess_isMinusOne() {
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
            assertTrue(ProcStat.cpuSeconds(ProcessHandle.current().pid()) > 0);
        }
        assertEquals(-1, ProcStat.cpuSeconds(Long.MAX_VALUE));
    }
}
