package io.nacgw.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void writePid_isOwnerOnly_evenOverAStaleWorldReadableFile() throws Exception {
        Path fresh = dir.resolve(RunCommand.PID_FILE);
        RunCommand.writePid(fresh);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(fresh));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Path stale = dir.resolve("stale.pid");
        Files.writeString(stale, "123456789\n");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));
        RunCommand.writePid(stale);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(stale));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stale)));
    }
}
