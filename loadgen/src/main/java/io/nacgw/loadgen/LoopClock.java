package io.nacgw.loadgen;

/**
 * How late an event loop's fixed-rate ticker runs against its schedule: the k-th run is due at {@code first + k ×
 * period}, and what it is late by is time the loop spent elsewhere. Datagrams that arrive meanwhile wait unread in the
 * socket, and an answer is timestamped when read, so this bounds how much of a measured latency may be the
 * generator's own. Recorded into {@link Stats#loopDelay} for ticks inside the measured window. Used on one event loop.
 */
final class LoopClock {
    private final Run run;
    private final Stats stats;
    private final long first;
    private final long period;
    private long runs;

    LoopClock(Run run, Stats stats, long firstNanos, long periodNanos) {
        this.run = run;
        this.stats = stats;
        this.first = firstNanos;
        this.period = periodNanos;
    }

    /** One run of the ticker, at {@code now}. */
    void ticked(long now) {
        long due = first + runs * period;
        runs++;
        if (now - run.warmupEndNanos >= 0 && now - run.endNanos < 0) {
            stats.loopDelay.recordValue(Math.max(0, now - due));
        }
    }
}
