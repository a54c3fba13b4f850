package io.nacgw.certs;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TlsFailuresTest {
    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Test
    void reason_ourTrustManagersRefusal_namesTheCertificateReason() {
        var refused = new PeerCertificateRejectedException(RejectReason.REVOKED, "CN=x", "listed in the CRL");
        assertEquals("certificate_revoked", TlsFailures.reason(new RuntimeException(handshake("bad", refused))));
        assertEquals("certificate_invalid", TlsFailures.reason(handshake("PKIX",
                new java.security.cert.CertificateException("self-signed"))));
    }

    @Test
    void reason_jdkMessages_mapToFixedNames() {
        assertEquals("no_shared_cipher", TlsFailures.reason(handshake("no cipher suites in common", null)));
        assertEquals("protocol_version", TlsFailures.reason(handshake(
                "The client supported protocol versions [TLSv1, TLSv1.1] are not accepted by server preferences", null)));
        assertEquals("alert_from_peer", TlsFailures.reason(handshake("Received fatal alert: bad_certificate", null)));
        assertEquals("other", TlsFailures.reason(handshake("something new", null)));
        assertEquals("other", TlsFailures.reason(new java.io.IOException("reset")));
    }

    @Test
    void reasons_listEveryNameReasonCanReturn() {
        for (RejectReason r : RejectReason.values()) {
            assertTrue(TlsFailures.REASONS.contains(TlsFailures.certificateReason(r)));
        }
        assertTrue(TlsFailures.REASONS.containsAll(java.util.List.of("certificate_invalid", "no_shared_cipher",
                "protocol_version", "alert_from_peer", "other")));
    }
}
