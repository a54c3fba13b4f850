package io.nacgw.gateway.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ReloaderTest {

    @Test
    void sighup_runsTheAction_everyTime() throws Exception {
        Semaphore ran = new Semaphore(0);
        Reloader.onSighup(ran::release);
        for (int i = 0; i < 2; i++) {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(ran.tryAcquire(30, TimeUnit.SECONDS), "SIGHUP " + (i + 1) + " did not run the action");
        }
    }
}
