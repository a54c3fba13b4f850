package io.nacgw.radius.eap;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * OCSP for EAP-TLS client certificates (config keys {@code radius.eap.tls.ocsp*}), validated here with messages
 * naming the key.
 *
 * @param mode      {@code off}; {@code prefer}: a revoked certificate is refused, an unanswered or unknown status
 *                  lets the certificate through (noted in the audit line); {@code require}: only a good status passes
 * @param responder the responder to ask instead of the certificate's AIA OCSP URL (null: the AIA's)
 * @param timeout   how long one request to the responder may take
 * @param nonce     send a nonce and require it back (a responder that pre-signs its answers cannot)
 * @param cacheSize certificate statuses remembered (each until the answer's nextUpdate)
 */
public record OcspSettings(Mode mode, URI responder, Duration timeout, boolean nonce, int cacheSize) {
    /** OCSP not checked. */
    public static final OcspSettings OFF = new OcspSettings(Mode.OFF, null, Duration.ofSeconds(3), false, 10_000);

    /** When OCSP is asked and what its answer decides. */
    public enum Mode {
        OFF, PREFER, REQUIRE;

        /** Parses {@code off|prefer|require}; the message names the key. */
        public static Mode fromName(String s) {
            if ("false".equalsIgnoreCase(s == null ? "" : s.strip())) {
                return OFF; // YAML 1.1 reads an unquoted off as false
            }
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(s == null ? "" : s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("radius.eap.tls.ocsp must be off, prefer or require, got '" + s + "'");
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OcspSettings {
        Objects.requireNonNull(mode, "radius.eap.tls.ocsp");
        if (responder != null) {
            String s = responder.getScheme() == null ? "" : responder.getScheme().toLowerCase(Locale.ROOT);
            if (!s.equals("http") || responder.getHost() == null) {
                throw new IllegalArgumentException("radius.eap.tls.ocspUrl: '" + responder
                        + "' is not an http URL (OCSP is plain HTTP, RFC 6960 appendix A)");
            }
        }
        Objects.requireNonNull(timeout, "radius.eap.tls.ocspTimeout");
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("radius.eap.tls.ocspTimeout must be 100ms to 30s, got " + timeout);
        }
        if (cacheSize < 1 || cacheSize > 10_000_000) {
            throw new IllegalArgumentException("radius.eap.tls.ocspCacheSize must be 1 to 10000000, got " + cacheSize);
        }
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }
}
