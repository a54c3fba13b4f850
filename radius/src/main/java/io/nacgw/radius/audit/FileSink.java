package io.nacgw.radius.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit file: appended to, owner-only, and reopened on request so an external rotation (logrotate's rename,
 * then {@code nacgw reload}) moves new lines to a new file without a restart. Written by one thread only.
 */
final class FileSink implements AuditSink {
    private final Path file;
    private final AtomicBoolean reopen = new AtomicBoolean();
    private BufferedWriter writer;

    FileSink(Path file) throws IOException {
        this.file = file;
        this.writer = open(file);
    }

    private static BufferedWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            io.nacgw.core.files.OwnerOnly.createDirectories(parent);
        }
        io.nacgw.core.files.OwnerOnly.createFile(file);
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    @Override
    public void write(String line) throws IOException {
        if (reopen.getAndSet(false)) {
            writer.close(); // flushes what the old file still had to get
            writer = open(file);
        }
        writer.write(line);
        writer.write('\n');
    }

    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void requestReopen() {
        reopen.set(true);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    @Override
    public String toString() {
        return "AuditSink[" + file + "]";
    }
}
