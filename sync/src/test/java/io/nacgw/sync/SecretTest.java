package io.nacgw.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class SecretTest {

    @Test
    void fromFile_stripsTheTrailingNewline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("secret");
        Files.writeString(f, "abc~DEF.123\n");
        assertEquals("abc~DEF.123", Secret.fromFile(f).reveal());
    }

    @Test
    void fromFile_emptyOrMissing_namesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("empty");
        Files.writeString(f, "\n");
        assertEquals("the secret file " + f + " is empty",
                assertThrows(IllegalArgumentException.class, () -> Secret.fromFile(f)).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals("cannot read the secret file " + missing + ": " + missing,
                assertThrows(IllegalArgumentException.class, () -> Secret.fromFile(missing)).getMessage());
    }

    @Test
    void fromEnv_readsTheVariable_orNamesItWhenUnset() {
        assertEquals("v4lue", Secret.fromEnv("NACGW_SYNC_SECRET", Map.of("NACGW_SYNC_SECRET", "v4lue")).reveal());
        assertEquals("the environment variable NACGW_SYNC_SECRET holding the secret is not set",
                assertThrows(IllegalArgumentException.class, () -> Secret.fromEnv("NACGW_SYNC_SECRET", Map.of()))
                        .getMessage());
    }

    @Test
    void of_blank_isRefused() {
        assertEquals("a secret must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Secret.of(" ")).getMessage());
    }

    @Test
    void toString_isMasked() {
        assertEquals("***", Secret.of("topsecret").toString());
    }
}
