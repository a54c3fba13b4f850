package io.nacgw.radius.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that runs work off the event loops: session-table writes, and EAP-TLS handshake steps. A full
 * queue rejects at once (the request is dropped and the NAS retransmits) rather than letting a slow database or a
 * burst of handshakes grow memory without bound.
 */
final class SessionWriter implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionWriter.class);
    private final ThreadPoolExecutor pool;
    private final String name;

    SessionWriter(int threads, int queue) {
        this("nacgw-accounting-", threads, queue);
    }

    /** A pool whose threads are named {@code namePrefix} + a number. */
    SessionWriter(String namePrefix, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.name = namePrefix;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, namePrefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code task} on a writer thread; throws {@link RejectedExecutionException} when the queue is full. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Finishes queued writes (up to 10 s) and stops. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{}* tasks still running after 10 s; abandoning {} queued", name, pool.getQueue().size());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
