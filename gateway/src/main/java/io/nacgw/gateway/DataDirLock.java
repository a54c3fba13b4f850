package io.nacgw.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * The pid file {@code DIR/nacgw.pid}, held under an exclusive lock while a gateway runs on that data directory: a
 * second gateway on the same directory is refused with the first one's pid instead of serving from a store it cannot
 * share. The operating system releases the lock when the process dies (even by kill -9), so a stale file left by a
 * crash never blocks the next start.
 */
public final class DataDirLock implements AutoCloseable {
    /** The pid file's name in the data directory. */
    public static final String FILE = "nacgw.pid";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dataDir} for this process and writes its pid; fails naming the process that holds it. */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            ch = openPlain(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            io.nacgw.core.files.OwnerOnly.restrictFile(file); // a pid file left by an older version may be 644
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalStateException("cannot restrict " + file + " to its owner: " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (a second Gateway in one JVM)
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            closeQuietly(ch);
            throw new IllegalStateException("another nacgw" + holder + " is running on the data directory "
                    + dataDir.toAbsolutePath() + ": stop it first, or give this one its own --data-dir");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new DataDirLock(file, ch, lock);
    }

    /** True when a gateway holds {@code dataDir} right now (its pid file is locked). */
    public static boolean isHeld(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try (FileLock l = ch.tryLock()) {
                return l == null;
            } catch (OverlappingFileLockException e) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static FileChannel openPlain(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,10}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    /** Removes the pid file and releases the lock. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            lock.release();
        } catch (IOException ignored) {
            // the lock goes with the channel below anyway
        } finally {
            closeQuietly(channel);
        }
    }
}
