package io.nacgw.loadgen;

/**
 * How long an event loop stays away from its fixed-rate ticker: a run is late by the time since it was due, or, when
 * the ticker has fallen behind its schedule and runs back to back, since the previous run plus one period (a loop
 * that needs longer than the period for one turn falls ever further behind the schedule, which is not delay of its
 * own). Datagrams that arrive while the loop is away wait unread in the socket, and an answer is timestamped when
 * read, so this shows how much of a measured latency may be the generator's own. Recorded into
 * {@link Stats#loopDelay} for runs inside the measured window. Used on one event loop.
 */
final class LoopClock {
    private final Run run;
    private final Stats stats;
    private final long first;
    private final long period;
    private long runs;
    private long previous;

    LoopClock(Run run, Stats stats, long firstNanos, long periodNanos) {
        this.run = run;
        this.stats = stats;
        this.first = firstNanos;
        this.period = periodNanos;
    }

    /** One run of the ticker, at {@code now}. */
    void ticked(long now) {
        long due = first + runs * period;
        if (runs > 0 && previous + period - due > 0) {
            due = previous + period;
        }
        runs++;
        previous = now;
        if (now - run.warmupEndNanos >= 0 && now - run.endNanos < 0) {
            stats.loopDelay.recordValue(Math.max(0, now - due));
        }
    }
}
