package io.nacgw.radius.audit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where audit lines go. Called from one writer thread only, never from an event loop, so implementations may
 * block on I/O.
 */
public interface AuditSink extends AutoCloseable {

    /** Writes one JSON line (without the line terminator). */
    void write(String line) throws IOException;

    /**
     * Writes one JSON line from the builder the audit writer reuses for every line: read it before returning, keep
     * no reference. The file sink copies it without making a String of it; other sinks get {@link #write(String)}.
     */
    default void writeLine(StringBuilder line) throws IOException {
        write(line.toString());
    }

    /** Called when the writer has caught up with the queue. */
    default void flush() throws IOException {
    }

    /**
     * Asks the sink to close and reopen its file before the next line (after logrotate renamed it; {@code nacgw
     * reload} calls this). Any thread may call it; the writer thread does the reopening.
     */
    default void requestReopen() {
    }

    @Override
    default void close() throws IOException {
    }

    /**
     * Appends lines to {@code file} (created owner-only if needed, like its missing directories), UTF-8, one per
     * line, flushed whenever the queue drains.
     */
    static AuditSink file(Path file) throws IOException {
        return new FileSink(file, AuditRotation.NONE, java.time.Clock.systemUTC());
    }

    /** As {@link #file(Path)}, rotated by size and/or age with retention per {@code rotation}. */
    static AuditSink file(Path file, AuditRotation rotation, java.time.Clock clock) throws IOException {
        return new FileSink(file, rotation, clock);
    }

    /** Discards every line (audit disabled). */
    static AuditSink discard() {
        return line -> { };
    }
}
