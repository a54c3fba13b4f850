package io.nacgw.core.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DaemonThreadsTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void named_givesEveryThreadTheName_andMakesItDaemon() {
        ThreadFactory f = DaemonThreads.named("nacgw-x");
        Thread a = f.newThread(NOTHING);
        Thread b = f.newThread(NOTHING);
        assertEquals("nacgw-x", a.getName());
        assertEquals("nacgw-x", b.getName());
        assertTrue(a.isDaemon());
        assertFalse(a.isAlive());
    }

    @Test
    void numbered_countsFromOne_perFactory() {
        ThreadFactory f = DaemonThreads.numbered("pool");
        assertEquals("pool-1", f.newThread(NOTHING).getName());
        Thread second = f.newThread(NOTHING);
        assertEquals("pool-2", second.getName());
        assertTrue(second.isDaemon());
        assertEquals("pool-1", DaemonThreads.numbered("pool").newThread(NOTHING).getName());
    }

    @Test
    void thread_isDaemon_unstarted_andRunsTheTask() throws InterruptedException {
        boolean[] ran = new boolean[1];
        Thread t = DaemonThreads.thread(() -> ran[0] = true, "one");
        assertTrue(t.isDaemon());
        assertEquals(Thread.State.NEW, t.getState());
        t.start();
        t.join();
        assertTrue(ran[0]);
    }

    @Test
    void nullName_isRefused() {
        assertThrows(NullPointerException.class, () -> DaemonThreads.named(null));
        assertThrows(NullPointerException.class, () -> DaemonThreads.numbered(null));
        assertThrows(NullPointerException.class, () -> DaemonThreads.thread(NOTHING, null));
    }
}
