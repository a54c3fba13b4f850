package io.nacgw.core.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class OwnerOnlyTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createDirectories_makesEveryNewLevel700_leavesExistingOnesAlone() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deep = dir.resolve("a/b/c");
        OwnerOnly.createDirectories(deep);
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(dir.resolve("a/b")));
        assertEquals("rwx------", mode(deep));
        assertEquals("rwxr-xr-x", mode(dir), "an existing directory is the operator's");
        OwnerOnly.createDirectories(deep); // again: nothing to do, no error
    }

    @Test
    void createFile_is600_andDoesNotTouchAnExistingFile() throws Exception {
        Path f = dir.resolve("audit.jsonl");
        assertTrue(OwnerOnly.createFile(f));
        assertEquals("rw-------", mode(f));
        Files.writeString(f, "kept");
        assertFalse(OwnerOnly.createFile(f));
        assertEquals("kept", Files.readString(f));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnly.restrictFile(f);
        assertEquals("rw-------", mode(f));
    }
}
