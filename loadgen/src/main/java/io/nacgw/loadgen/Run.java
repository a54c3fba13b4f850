package io.nacgw.loadgen;

import java.util.concurrent.atomic.AtomicLong;

/** The shared clock and stop rule of one run: when issuing ends and which requests are measured. */
final class Run {
    final long startNanos;
    final long warmupEndNanos;
    /** End of the issuing window in duration mode; Long.MAX_VALUE in request-count mode. */
    final long endNanos;
    private final long requestLimit;
    private final AtomicLong measuredIssued = new AtomicLong();
    private volatile boolean stopped;

    Run(long startNanos, long warmupNanos, long durationNanos, long requestLimit) {
        this.startNanos = startNanos;
        this.warmupEndNanos = startNanos + warmupNanos;
        this.endNanos = durationNanos > 0 ? warmupEndNanos + durationNanos : Long.MAX_VALUE;
        this.requestLimit = requestLimit;
    }

    /** May a request intended for {@code intendedNanos} be issued? Counts it against the request limit. */
    boolean tryIssue(long intendedNanos) {
        if (stopped) {
            return false;
        }
        if (intendedNanos >= endNanos) {
            stopped = true;
            return false;
        }
        if (intendedNanos < warmupEndNanos) {
            return true;
        }
        if (measuredIssued.incrementAndGet() <= requestLimit || requestLimit <= 0) {
            return true;
        }
        stopped = true;
        return false;
    }

    boolean measured(long intendedNanos) {
        return intendedNanos >= warmupEndNanos;
    }

    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }

    /** Requests due in the measured window so far (issued by the schedule, whether or not they could be sent). */
    long measuredIssued() {
        return Math.min(measuredIssued.get(), requestLimit > 0 ? requestLimit : Long.MAX_VALUE);
    }
}
