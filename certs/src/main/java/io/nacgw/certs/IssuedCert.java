package io.nacgw.certs;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the CA's index: a certificate nacgw issued. {@code role} is empty for the server certificate;
 * {@code revokedAt} is present once revoked.
 */
public record IssuedCert(BigInteger serial, String name, Optional<Role> role, Instant notBefore, Instant notAfter,
        Optional<Instant> revokedAt) {

    public IssuedCert {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(revokedAt, "revokedAt");
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("serial must be positive");
        }
    }

    /** The serial number in upper-case hex, as {@code openssl x509 -serial} prints it. */
    public String serialHex() {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    /** True for the server certificate, false for a client certificate. */
    public boolean server() {
        return role.isEmpty();
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** {@code revoked}, {@code expired}, {@code not yet valid} or {@code valid} at {@code now}. */
    public String status(Instant now) {
        if (revoked()) {
            return "revoked";
        }
        if (now.isAfter(notAfter)) {
            return "expired";
        }
        if (now.isBefore(notBefore)) {
            return "not yet valid";
        }
        return "valid";
    }

    /** The kind column of the index: {@code server}, {@code partner} or {@code admin}. */
    public String kind() {
        return role.map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("server");
    }

    IssuedCert withRevokedAt(Instant when) {
        return new IssuedCert(serial, name, role, notBefore, notAfter, Optional.of(when));
    }
}
