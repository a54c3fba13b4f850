package io.nacgw.certs;

/** Why a peer certificate was refused during the TLS handshake. */
public enum RejectReason {
    /** The peer sent no certificate although one is required. */
    NO_CERTIFICATE,
    /** The certificate (or a CA above it) expired before now. */
    EXPIRED,
    /** The certificate (or a CA above it) is not valid yet. */
    NOT_YET_VALID,
    /** Its issuer is none of the trusted CAs. */
    UNKNOWN_CA,
    /** The chain names a trusted CA but does not validate (bad signature, CA constraints, ...). */
    UNTRUSTED_PATH,
    /** A trusted CA's CRL lists it. */
    REVOKED,
    /** Its extended key usage does not allow TLS client authentication. */
    WRONG_KEY_USAGE,
    /** It carries no nacgw role, or one not accepted by this server. */
    WRONG_ROLE,
    /** It claims a nacgw role but was issued by another CA (e.g. the MDM's), which may not grant roles. */
    ROLE_FROM_FOREIGN_CA
}
