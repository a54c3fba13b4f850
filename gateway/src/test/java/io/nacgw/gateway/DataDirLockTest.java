package io.nacgw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void secondHolder_isRefused_withTheFirstOnesPid_untilReleased() throws Exception {
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            Path pid = dir.resolve(DataDirLock.FILE);
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pid));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pid)));
            assertTrue(DataDirLock.isHeld(dir));
            String m = assertThrows(IllegalStateException.class, () -> DataDirLock.acquire(dir)).getMessage();
            assertTrue(m.contains("another nacgw (pid " + ProcessHandle.current().pid() + ") is running on the data"
                    + " directory " + dir.toAbsolutePath()), m);
        }
        assertFalse(Files.exists(dir.resolve(DataDirLock.FILE)), "the pid file goes with the gateway");
        assertFalse(DataDirLock.isHeld(dir));
        DataDirLock.acquire(dir).close(); // free again
    }

    @Test
    void staleFileFromACrash_doesNotBlockTheNextStart() throws Exception {
        Files.writeString(dir.resolve(DataDirLock.FILE), "999999\n"); // left by a kill -9: nobody holds the lock
        Files.setPosixFilePermissions(dir.resolve(DataDirLock.FILE), PosixFilePermissions.fromString("rw-r--r--"));
        assertFalse(DataDirLock.isHeld(dir));
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(DataDirLock.FILE)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve(DataDirLock.FILE))), "a world-readable stale pid file is made owner-only");
        }
    }

    @Test
    void anotherProcessHoldingTheDirectory_isRefused() throws Exception {
        // a real second process (not this JVM) holds the lock, as a running gateway would
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
            assertTrue(DataDirLock.isHeld(dir));
            String m = assertThrows(IllegalStateException.class, () -> DataDirLock.acquire(dir)).getMessage();
            assertTrue(m.contains("(pid " + p.pid() + ")"), m);
        } finally {
            p.destroyForcibly().waitFor();
        }
        DataDirLock.acquire(dir).close();
    }

    /** The other process: holds the lock until killed. */
    static final class Holder {
        public static void main(String[] args) throws Exception {
            DataDirLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
