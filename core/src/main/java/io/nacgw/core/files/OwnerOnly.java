package io.nacgw.core.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories the gateway creates under its data directory (store, audit log, pid file) are its own:
 * files 600, directories 700, whatever the umask. On a file system without POSIX permissions nothing is changed.
 */
public final class OwnerOnly {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} (700) and its missing parents (700 too: they are new, so they are ours). */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        if (abs.getParent() != null) {
            createDirectories(abs.getParent());
        }
        try {
            Files.createDirectory(abs, attribute(abs, DIRECTORY));
            restrict(abs, DIRECTORY); // the umask may have taken bits away from the attribute, never added any
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
    }

    /** Creates an empty file (600) unless it exists; true when it was created. */
    public static boolean createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(file, FILE));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Sets an existing file to 600. */
    public static void restrictFile(Path file) throws IOException {
        restrict(file, FILE);
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    private static FileAttribute<?>[] attribute(Path p, Set<PosixFilePermission> perms) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
