package io.nacgw.radius.server;

import io.nacgw.core.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool that runs session-table work off the event loops and the ingest threads (accounting writes; the
 * CoA trigger's session lookups). A full queue rejects at once (the request is dropped and the NAS retransmits, or
 * the work is counted as dropped) rather than letting a slow database grow memory without bound.
 */
public final class SessionWriter implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionWriter.class);
    private final ThreadPoolExecutor pool;
    private final String name;

    SessionWriter(int threads, int queue) {
        this("nacgw-accounting", threads, queue);
    }

    /** {@code threads} daemon threads named {@code name-N}, at most {@code queue} tasks waiting. */
    public SessionWriter(String name, int threads, int queue) {
        this.name = name;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                DaemonThreads.numbered(name), new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code task} on a writer thread; throws {@link RejectedExecutionException} when the queue is full. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** True once {@link #close()} began. */
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    /** Finishes queued writes (up to 10 s) and stops. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{} still running after 10 s; abandoning {} queued task(s)", name, pool.getQueue().size());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
