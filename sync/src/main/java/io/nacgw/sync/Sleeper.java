package io.nacgw.sync;

import java.time.Duration;

/** Waits between retries; injected so tests record the delays instead of spending them. */
@FunctionalInterface
interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
