package io.nacgw.core.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: polls a condition and fails naming it after a generous timeout (a loaded machine). */
public final class Await {
    private Await() {
    }

    /** Waits up to 60 s for {@code condition}. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        until(condition, what, 60);
    }

    /** Waits up to {@code seconds} for {@code condition}, polling every 10 ms. */
    public static void until(BooleanSupplier condition, String what, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
