package io.nacgw.gateway.cli;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ApiCommandTest {
    @TempDir
    Path dir;

    @Test
    void hashPassword_fromFile_printsAHashNotThePassword() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "a long enough password\n");
        Cli.Result r = Cli.run("api", "hash-password", "--password-file", pw.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("pbkdf2-sha256$"), r.out());
        assertFalse(r.out().contains("a long enough password"), r.out());
    }

    @Test
    void hashPassword_noSourceAndNoTerminal_asksForAnApiPassword_notAPkcs12One() {
        Needs.that(System.console() == null, "no terminal attached to the test JVM (with one, the prompt is used)");
        Cli.Result r = Cli.run("api", "hash-password");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("no terminal to ask for the API password"), r.err());
        assertFalse(r.err().contains("PKCS#12"), r.err());
    }
}
