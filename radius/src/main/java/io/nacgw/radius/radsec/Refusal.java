package io.nacgw.radius.radsec;

import io.nacgw.certs.RejectReason;

import java.util.Locale;

/** Why a RadSec connection was refused before its first packet. Every refusal is counted under one reason. */
public enum Refusal {
    /** {@code radius.radsec.maxConnections} connections were open. */
    MAX_CONNECTIONS,
    /** {@code radius.radsec.maxConnectionsPerAddress} connections from that IP address were open. */
    MAX_CONNECTIONS_PER_ADDRESS,
    /** The TLS handshake did not complete within {@code radius.radsec.handshakeTimeout} (e.g. a slowloris). */
    HANDSHAKE_TIMEOUT,
    /** The handshake failed for a reason other than the certificate: TLS below 1.2, no common cipher, not TLS. */
    TLS_FAILED,
    /** No client certificate. */
    NO_CERTIFICATE,
    /** The client certificate expired. */
    EXPIRED,
    /** The client certificate is not valid yet. */
    NOT_YET_VALID,
    /** Issued by a CA that is neither nacgw's nor in {@code radius.radsec.trustedCaFiles}. */
    UNKNOWN_CA,
    /** The chain does not validate. */
    UNTRUSTED_PATH,
    /** Listed by a CRL. */
    REVOKED,
    /** Not a TLS client certificate (extended key usage). */
    WRONG_KEY_USAGE,
    /** A nacgw certificate of another role (partner, admin): only role {@code nas} may speak RadSec. */
    WRONG_ROLE,
    /** Claims a nacgw role but comes from another CA. */
    ROLE_FROM_FOREIGN_CA,
    /** A valid certificate whose names match no {@code radius.clients} entry (its name or certificateName). */
    UNKNOWN_NAS;

    /** The refusal for a certificate the TLS layer rejected. */
    static Refusal of(RejectReason r) {
        return valueOf(r.name());
    }

    /** snake_case for metrics and logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
