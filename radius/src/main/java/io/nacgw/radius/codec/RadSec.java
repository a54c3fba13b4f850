package io.nacgw.radius.codec;

import io.nacgw.core.secret.Secret;

/** RadSec constants (RFC 6614). */
public final class RadSec {
    /** The IANA port for RADIUS over TLS (authentication and accounting on one connection). */
    public static final int DEFAULT_PORT = 2083;
    /** The shared secret every RadSec packet is signed with (RFC 6614 §2.3): TLS authenticates the peers. */
    public static final Secret SECRET = Secret.of("radsec");

    private RadSec() {
    }
}
