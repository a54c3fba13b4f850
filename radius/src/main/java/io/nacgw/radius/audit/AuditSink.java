package io.nacgw.radius.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where audit lines go. Called from one writer thread only, never from an event loop, so implementations may
 * block on I/O.
 */
public interface AuditSink extends AutoCloseable {

    /** Writes one JSON line (without the line terminator). */
    void write(String line) throws IOException;

    /** Called when the writer has caught up with the queue. */
    default void flush() throws IOException {
    }

    @Override
    default void close() throws IOException {
    }

    /**
     * Appends lines to {@code file} (created owner-only if needed, like its missing directories), UTF-8, one per
     * line, flushed whenever the queue drains.
     */
    static AuditSink file(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            io.nacgw.core.files.OwnerOnly.createDirectories(parent);
        }
        io.nacgw.core.files.OwnerOnly.createFile(file);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new AuditSink() {
            @Override
            public void write(String line) throws IOException {
                w.write(line);
                w.write('\n');
            }

            @Override
            public void flush() throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }

            @Override
            public String toString() {
                return "AuditSink[" + file + "]";
            }
        };
    }

    /** Discards every line (audit disabled). */
    static AuditSink discard() {
        return line -> { };
    }
}
