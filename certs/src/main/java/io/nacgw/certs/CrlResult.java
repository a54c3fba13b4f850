package io.nacgw.certs;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A CRL just written: its number, validity window, the certificates it lists and the file. */
public record CrlResult(Path file, BigInteger number, Instant thisUpdate, Instant nextUpdate, List<IssuedCert> revoked,
        List<Written> written) {
    public CrlResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        revoked = List.copyOf(revoked);
        written = List.copyOf(written);
    }
}
