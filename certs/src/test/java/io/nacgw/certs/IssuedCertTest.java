package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index entries: status, kind and the index file round trip. */
final class IssuedCertTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    Path tmp;

    private static IssuedCert client(Optional<Instant> revoked) {
        return new IssuedCert(new BigInteger("4f1a", 16), "ise1", Optional.of(Role.PARTNER), FROM, TO, revoked);
    }

    @Test
    void status_followsRevocationAndValidity() {
        assertEquals("valid", client(Optional.empty()).status(FROM.plusSeconds(1)));
        assertEquals("expired", client(Optional.empty()).status(TO.plusSeconds(1)));
        assertEquals("not yet valid", client(Optional.empty()).status(FROM.minusSeconds(1)));
        assertEquals("revoked", client(Optional.of(FROM)).status(FROM.plusSeconds(1)));
    }

    @Test
    void kindAndSerial_areWhatTheIndexAndCliShow() {
        IssuedCert server = new IssuedCert(BigInteger.TEN, "localhost", Optional.empty(), FROM, TO, Optional.empty());

        assertEquals("partner", client(Optional.empty()).kind());
        assertEquals("server", server.kind());
        assertEquals("4F1A", client(Optional.empty()).serialHex());
    }

    @Test
    void indexFile_roundTripsEveryField() {
        Path file = tmp.resolve("index.tsv");
        List<IssuedCert> entries = List.of(client(Optional.of(Instant.parse("2026-01-15T08:30:00Z"))),
                new IssuedCert(BigInteger.TEN, "localhost", Optional.empty(), FROM, TO, Optional.empty()));

        CertIndex.write(file, entries);

        assertEquals(entries, CertIndex.read(file));
    }

    @Test
    void nonPositiveSerial_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IssuedCert(BigInteger.ZERO, "x", Optional.empty(),
                FROM, TO, Optional.empty()));
    }
}
