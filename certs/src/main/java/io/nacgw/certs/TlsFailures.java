package io.nacgw.certs;

import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a TLS handshake failed, as one of a fixed set of metric-friendly names (bounded cardinality): the certificate
 * refusal of nacgw's own trust manager ({@code certificate_expired}, {@code certificate_revoked}, ...), or what the
 * JDK's message says ({@code no_shared_cipher}, {@code protocol_version}, {@code alert_from_peer},
 * {@code certificate_invalid}); {@code other} for anything else.
 */
public final class TlsFailures {
    /** Every name {@link #reason(Throwable)} can return. */
    public static final List<String> REASONS;

    static {
        List<String> r = new ArrayList<>();
        for (RejectReason c : RejectReason.values()) {
            r.add(certificateReason(c));
        }
        r.addAll(List.of("certificate_invalid", "no_shared_cipher", "protocol_version", "alert_from_peer", "other"));
        REASONS = List.copyOf(r);
    }

    private TlsFailures() {
    }

    /** {@code certificate_} and the reason in lower case, as EAP-TLS and HTTPS both report it. */
    public static String certificateReason(RejectReason r) {
        return "certificate_" + r.name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a failed handshake; never null. */
    public static String reason(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PeerCertificateRejectedException) {
                return certificateReason(((PeerCertificateRejectedException) c).reason());
            }
            if (c instanceof java.security.cert.CertificateException) {
                return "certificate_invalid";
            }
            if (c instanceof SSLException && message == null && c.getMessage() != null) {
                message = c.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        if (message == null) {
            return "other";
        }
        if (message.contains("no cipher suites in common") || message.contains("no_cipher")
                || message.contains("handshake_failure")) {
            return "no_shared_cipher";
        }
        if (message.contains("protocol") && (message.contains("version") || message.contains("not supported")
                || message.contains("disabled"))) {
            return "protocol_version";
        }
        if (message.contains("received fatal alert")) {
            return "alert_from_peer";
        }
        if (message.contains("certificate")) {
            return "certificate_invalid";
        }
        return "other";
    }
}
