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
        clock.ticked(1_007 * MS);           // due 1,003.1 (previous run + 1 ms): the loop was away 3.9 ms
        clock.ticked(1_007 * MS + 10_000);  // catching up back to back: not late
        clock.ticked(1_007 * MS + 20_000);
        clock.ticked(1_008 * MS + 20_000);  // one period after the previous run: on time
        clock.ticked(1_008 * MS + 60_000);  // due 1,007 by the schedule: not late
        clock.ticked(1_010 * MS);           // the window has ended: not recorded
        Histogram h = stats.loopDelay.getIntervalHistogram();
        assertEquals(6, h.getTotalCount());
        assertEquals(3_900_000, h.getMaxValue(), 3_900_000 / 1000.0);
        assertEquals(5, h.getCountBetweenValues(0, 100_000), "the other runs were on time");
    }

    @Test
    void ticked_aLoopAlwaysSlowerThanThePeriod_isLateByItsTurnNotByTheGrowingSchedule() {
        Run run = new Run(0, 0, 1_000 * MS, 0);
        Stats stats = new Stats();
        LoopClock clock = new LoopClock(run, stats, 0, MS);
        for (int i = 0; i < 100; i++) {
            clock.ticked(i * 3 * MS); // every turn takes 3 ms: by run 100 the schedule is 200 ms behind
        }
        Histogram h = stats.loopDelay.getIntervalHistogram();
        assertEquals(2 * MS, h.getMaxValue(), 2 * MS / 1000.0);
        assertEquals(99, h.getCountBetweenValues(2 * MS - 2000, 2 * MS + 2000));
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
