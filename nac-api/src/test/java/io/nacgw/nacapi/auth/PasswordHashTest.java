package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiRole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class PasswordHashTest {

    @Test
    void create_thenParse_verifiesOnlyTheRightPassword() {
        PasswordHash h = PasswordHash.create("correct horse".toCharArray(), PasswordHash.MIN_ITERATIONS);
        PasswordHash back = PasswordHash.parse(h.encoded());
        assertTrue(back.verify("correct horse".toCharArray()));
        assertFalse(back.verify("correct horse ".toCharArray()));
        assertFalse(back.verify(new char[0]));
        assertTrue(h.encoded().startsWith("pbkdf2-sha256$10000$"));
    }

    @Test
    void create_usesAFreshSaltEachTime() {
        assertNotEquals(PasswordHash.create("x1".toCharArray(), PasswordHash.MIN_ITERATIONS).encoded(),
                PasswordHash.create("x1".toCharArray(), PasswordHash.MIN_ITERATIONS).encoded());
    }

    @Test
    void defaultIterations_areOwasp2023() {
        assertEquals(600_000, PasswordHash.DEFAULT_ITERATIONS);
    }

    @Test
    void parse_refusesPlaintextWeakAndMalformedValues_withoutEchoingThem() {
        for (String bad : new String[] {"hunter2", "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                "pbkdf2-sha256$x$a$b", "sha1$10000$a$b", "pbkdf2-sha256$10000$!!!$AAAA"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad));
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
        String hint = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("hunter2")).getMessage();
        assertTrue(hint.contains("'nacgw api hash-password'"), hint); // the command that really exists
    }

    @Test
    void toString_neverShowsTheHash() {
        PasswordHash h = PasswordHash.create("s3cret-value".toCharArray(), PasswordHash.MIN_ITERATIONS);
        String hashPart = h.encoded().substring(h.encoded().lastIndexOf('$') + 1);
        assertFalse(h.toString().contains(hashPart));
        assertFalse(new ApiUser("ise", h, ApiRole.PARTNER, null).toString().contains(hashPart));
    }
}
