package io.nacgw.loadgen;

/**
 * The server's CPU over the measured window: its CPU seconds ({@code /proc/PID/stat}, children included) sampled
 * when measuring starts (after the warm-up) and when issuing stops. Shared by the RADIUS, EAP-TLS and HTTPS
 * generators.
 */
public final class ServerCpuWindow {
    private final long pid;
    private double startCpu = -1;
    private double endCpu = -1;
    private long startNanos;
    private long endNanos;

    /** {@code pid} ≤ 0: not measured. */
    public ServerCpuWindow(long pid) {
        this.pid = pid;
    }

    public void start(long now) {
        if (pid > 0 && startNanos == 0) {
            startNanos = now;
            startCpu = ProcStat.cpuSeconds(pid);
        }
    }

    public void end(long now) {
        if (pid > 0 && startNanos != 0 && endNanos == 0) {
            endNanos = now;
            endCpu = ProcStat.cpuSeconds(pid);
        }
    }

    /** Percent of one core over the window, or -1 when not measured. */
    public double percent() {
        if (startCpu < 0 || endCpu < 0 || endNanos <= startNanos) {
            return -1;
        }
        return 100 * (endCpu - startCpu) / ((endNanos - startNanos) / 1e9);
    }
}
