package io.nacgw.certs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that readers (the server's reload poll, a concurrent CLI) never see half a file, and private keys
 * are never readable by others, not even for an instant: the temporary file is created owner-only, then renamed.
 */
final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIR_OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    static boolean posix(Path anyPath) {
        return anyPath.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} and missing parents; directories created here are owner-only, because they hold keys. */
    static void createPrivateDirectories(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new CertsException("cannot create directory " + dir + ": a file of that name exists", e);
            }
        } catch (IOException e) {
            throw new CertsException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically. A {@code secret} file is created with permissions
     * rw------- from the start; others get rw-r--r-- (less whatever the umask removes).
     */
    static void write(Path target, byte[] content, boolean secret) {
        Path dir = target.toAbsolutePath().getParent();
        createPrivateDirectories(dir);
        Path tmp = null;
        try {
            String prefix = "." + target.getFileName() + ".";
            if (posix(dir)) {
                FileAttribute<Set<PosixFilePermission>> perms =
                        PosixFilePermissions.asFileAttribute(secret ? OWNER_ONLY : PUBLIC);
                tmp = Files.createTempFile(dir, prefix, ".tmp", perms);
            } else {
                tmp = Files.createTempFile(dir, prefix, ".tmp");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new CertsException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed with a message naming the target; a stray temp file is harmless
                }
            }
        }
    }

    static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CertsException(what + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CertsException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
