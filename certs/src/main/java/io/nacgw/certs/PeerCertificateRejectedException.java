package io.nacgw.certs;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * Thrown by nacgw's trust manager when it refuses a peer certificate; the JDK reports it as the cause of the
 * handshake's {@code SSLHandshakeException}. {@link #reason()} tells why; the message names the certificate.
 */
public final class PeerCertificateRejectedException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final String subject;

    PeerCertificateRejectedException(RejectReason reason, String subject, String detail) {
        super("client certificate " + (subject == null ? "(none)" : "'" + subject + "'") + " refused: " + reason
                + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.subject = subject;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The refused certificate's subject and serial, escaped; null when there was no certificate. */
    public String subject() {
        return subject;
    }
}
