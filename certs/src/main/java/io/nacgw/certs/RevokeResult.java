package io.nacgw.certs;

import java.util.List;
import java.util.Objects;

/** The certificates a revocation marked revoked, the CRL it rewrote, and every file written (index and CRL). */
public record RevokeResult(List<IssuedCert> revoked, CrlResult crl, List<Written> written) {
    public RevokeResult {
        revoked = List.copyOf(revoked);
        Objects.requireNonNull(crl, "crl");
        written = List.copyOf(written);
    }
}
