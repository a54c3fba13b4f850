package io.nacgw.core.concurrent;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for nacgw's background work (writers, timers, probes, pools). Daemon because a stop is
 * always explicit ({@code close()}); a thread left behind must not keep the JVM alive. Netty event loops use
 * Netty's own {@code DefaultThreadFactory} instead.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory whose every thread is called {@code name} (for single-thread executors). */
    public static ThreadFactory named(String name) {
        Objects.requireNonNull(name, "name");
        return r -> thread(r, name);
    }

    /** A factory whose threads are called {@code prefix-1}, {@code prefix-2}, … (for pools). */
    public static ThreadFactory numbered(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger n = new AtomicInteger();
        return r -> thread(r, prefix + "-" + n.incrementAndGet());
    }

    /** An unstarted daemon thread running {@code task}. */
    public static Thread thread(Runnable task, String name) {
        Thread t = new Thread(task, Objects.requireNonNull(name, "name"));
        t.setDaemon(true);
        return t;
    }
}
