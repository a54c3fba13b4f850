package io.nacgw.radius.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asynchronous, bounded audit writer: {@link #record} never blocks (a full queue drops the event and counts it);
 * one daemon thread formats and hands lines to the {@link AuditSink}, flushing whenever it catches up.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Object STOP = new Object();

    private final AuditSink sink;
    private final BlockingQueue<Object> queue;
    private final Thread writer;
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    /** Starts the writer thread; {@code capacity} events may wait before new ones are dropped. */
    public AuditLog(AuditSink sink, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("radius.auditQueue must be at least 1, got " + capacity);
        }
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // +1: room for STOP
        this.writer = new Thread(this::run, "nacgw-audit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an event; drops (and counts) it when the queue is full or the log is closed. Never blocks. */
    public void record(AuditEvent event) {
        if (closed || queue.remainingCapacity() <= 1 || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Events handed to the sink. */
    public long written() {
        return written.sum();
    }

    /** Events dropped (queue full, closed, or the sink failed). */
    public long dropped() {
        return dropped.sum();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(256);
        try {
            while (true) {
                Object first = queue.take();
                batch.add(first);
                queue.drainTo(batch, 255);
                for (Object o : batch) {
                    if (o == STOP) {
                        flush();
                        return;
                    }
                    write((AuditEvent) o);
                }
                batch.clear();
                if (queue.isEmpty()) {
                    flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(AuditEvent e) {
        try {
            sink.write(e.toJson());
            written.increment();
        } catch (IOException | RuntimeException ex) {
            dropped.increment();
            log.warn("audit sink {} failed: {}", sink, ex.toString());
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (IOException | RuntimeException ex) {
            log.warn("audit sink {} flush failed: {}", sink, ex.toString());
        }
    }

    /** Writes what is queued, stops the thread and closes the sink. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.offer(STOP, 5, TimeUnit.SECONDS); // a slot is reserved for it, but record() may race for it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.close();
        } catch (IOException e) {
            log.warn("closing audit sink {} failed: {}", sink, e.toString());
        }
    }
}
