package io.nacgw.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class LoopClockTest {
    private static final long MS = 1_000_000L;

    @Test
    void ticked_recordsHowLateEachRunIsAgainstItsFixedRateSchedule_onlyInsideTheMeasuredWindow() {
        // clock at 1,000 ms; warm-up until 1,002 ms, window until 1,010 ms; ticker due every ms from 1,000 ms
        Run run = new Run(1_000 * MS, 2 * MS, 8 * MS, 0);
        Stats stats = new Stats();
        LoopClock clock = new LoopClock(run, stats, 1_000 * MS, MS);
        clock.ticked(1_000 * MS + 900_000); // warm-up: not recorded
        clock.ticked(1_001 * MS);           // warm-up
        clock.ticked(1_002 * MS + 100_000); // due 1,002: 0.1 ms late
        clock.ticked(1_007 * MS);           // due 1,003: the loop was busy, 4 ms late
        clock.ticked(1_007 * MS + 10_000);  // due 1,004: catching up, ~3 ms late
        clock.ticked(1_007 * MS + 20_000);  // due 1,005
        clock.ticked(1_007 * MS + 30_000);  // due 1,006
        clock.ticked(1_007 * MS + 40_000);  // due 1,007: 0.04 ms late
        clock.ticked(1_010 * MS);           // due 1,008, but the window has ended: not recorded
        Histogram h = stats.loopDelay.getIntervalHistogram();
        assertEquals(6, h.getTotalCount());
        assertEquals(4 * MS, h.getMaxValue(), 4 * MS / 1000.0);
        assertEquals(40_000, h.getMinValue(), 100);
    }

    @Test
    void ticked_early_isRecordedAsZero() {
        Run run = new Run(0, 0, 10 * MS, 0);
        Stats stats = new Stats();
        new LoopClock(run, stats, MS, MS).ticked(MS / 2);
        Histogram h = stats.loopDelay.getIntervalHistogram();
        assertEquals(1, h.getTotalCount());
        assertEquals(0, h.getMaxValue());
    }
}
