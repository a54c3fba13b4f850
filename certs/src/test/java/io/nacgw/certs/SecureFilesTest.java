package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic, permission-safe file writes. */
final class SecureFilesTest {
    @TempDir
    Path tmp;

    @Test
    void write_secret_isOwnerOnlyEvenWhenReplacingAWorldReadableFile() throws Exception {
        Path f = tmp.resolve("k.key");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        SecureFiles.write(f, new byte[] {1, 2, 3}, true);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(3, Files.size(f));
    }

    @Test
    void write_leavesNoTemporaryFilesAndCreatesOwnerOnlyDirectories() throws Exception {
        Path f = tmp.resolve("new/sub/a.pem");

        SecureFiles.write(f, new byte[] {42}, false);

        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList());
        }
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())));
        assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)).startsWith("rw-"));
    }

    @Test
    void write_intoAFileAsDirectory_failsNamingTarget() throws Exception {
        Path blocker = tmp.resolve("blocker");
        Files.writeString(blocker, "x");
        Path f = blocker.resolve("a.pem");

        CertsException e = assertThrows(CertsException.class, () -> SecureFiles.write(f, new byte[] {1}, false));

        assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());
    }
}
