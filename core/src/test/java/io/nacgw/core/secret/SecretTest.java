package io.nacgw.core.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        assertEquals("v4lue", Secret.fromEnv("NACGW_SYNC_SECRET", Map.of("NACGW_SYNC_SECRET", " v4lue\n")).reveal());
        assertEquals("the environment variable NACGW_SYNC_SECRET holding the secret is not set",
                assertThrows(IllegalArgumentException.class, () -> Secret.fromEnv("NACGW_SYNC_SECRET", Map.of()))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Secret.fromEnv("X", Map.of("X", "  ")));
    }

    @Test
    void of_emptyOrNull_isRefused() {
        assertEquals("a secret must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Secret.of("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Secret.of(null));
    }

    @Test
    void of_withALimit_countsUtf8Bytes_andNamesTheSecret() {
        assertEquals(128, Secret.of("x".repeat(128), "a shared secret", 128).length());
        assertEquals("a shared secret must be at most 128 bytes", assertThrows(IllegalArgumentException.class,
                () -> Secret.of("é".repeat(65), "a shared secret", 128)).getMessage());
        assertEquals("a shared secret must not be empty", assertThrows(IllegalArgumentException.class,
                () -> Secret.of("", "a shared secret", 128)).getMessage());
    }

    @Test
    void revealChars_isTheTextAsAFreshArrayTheCallerMayWipe() {
        Secret s = Secret.of("pässwörd-€1");
        char[] first = s.revealChars();
        assertEquals("pässwörd-€1", new String(first));
        java.util.Arrays.fill(first, '\0');
        assertEquals("pässwörd-€1", new String(s.revealChars()), "wiping the caller's copy leaves the secret intact");
    }

    @Test
    void toString_isMasked() {
        assertEquals("Secret[***]", Secret.of("topsecret").toString());
    }

    @Test
    void equals_comparesContent() {
        assertEquals(Secret.of("same"), Secret.of("same"));
        assertEquals(Secret.of("same").hashCode(), Secret.of("same").hashCode());
        assertNotEquals(Secret.of("same"), Secret.of("samf"));
        assertNotEquals(Secret.of("same"), Secret.of("same-but-longer"));
        assertFalse(Secret.of("same").equals("same"));
    }

    @Test
    void feedAndHmac_useTheUtf8Bytes() throws Exception {
        Secret s = Secret.of("sécret");
        byte[] raw = "sécret".getBytes(StandardCharsets.UTF_8);
        MessageDigest a = MessageDigest.getInstance("MD5");
        s.feed(a);
        assertArrayEquals(MessageDigest.getInstance("MD5").digest(raw), a.digest());
        Mac expected = Mac.getInstance("HmacMD5");
        expected.init(new SecretKeySpec(raw, "HmacMD5"));
        byte[] data = {1, 2, 3};
        Mac m = s.hmacMd5();
        m.update((byte) 9); // a later caller gets it reset
        assertArrayEquals(expected.doFinal(data), s.hmacMd5().doFinal(data));
        assertEquals(raw.length, s.length());
    }
}
