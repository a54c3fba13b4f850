package io.nacgw.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process from Linux {@code /proc/PID/stat} (utime + stime), so a run can report the server's
 * CPU over exactly the measured window. Clock ticks are USER_HZ, which Linux fixes at 100 for this interface.
 */
public final class ProcStat {
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStat() {
    }

    /** CPU seconds (user + system) used so far by {@code pid}, or -1 when it cannot be read (gone, not Linux). */
    public static double cpuSeconds(long pid) {
        try {
            return parseCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields count from the last ')'. */
    static double parseCpuSeconds(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line");
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }
}
