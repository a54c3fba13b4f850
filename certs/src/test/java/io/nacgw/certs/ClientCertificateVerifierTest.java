package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust manager's checks that a JDK handshake cannot reach directly. */
final class ClientCertificateVerifierTest {
    @TempDir
    Path tmp;

    private ClientCertificateVerifier verifier() {
        CertificateAuthority ca = CertificateAuthority.open(tmp.resolve("pki"));
        ca.init(ServerNames.of(List.of("localhost")), KeyType.ECDSA_P256, false);
        TrustMaterial trust = TrustMaterial.load(ServerTlsConfig.fromPki(ca.layout(), ClientAuth.REQUIRE));
        return new ClientCertificateVerifier(trust, Set.of(), Clock.systemUTC());
    }

    @Test
    void emptyChain_isNoCertificate() {
        ClientCertificateVerifier v = verifier();

        PeerCertificateRejectedException e = assertThrows(PeerCertificateRejectedException.class,
                () -> v.checkClientTrusted(new X509Certificate[0], "EC"));

        assertEquals(RejectReason.NO_CERTIFICATE, e.reason());
        assertEquals(null, e.subject());
    }

    @Test
    void serverChecks_areRefused() {
        ClientCertificateVerifier v = verifier();

        CertificateException e = assertThrows(CertificateException.class,
                () -> v.checkServerTrusted(new X509Certificate[0], "EC"));

        assertEquals("a nacgw server context does not verify servers", e.getMessage());
    }

    @Test
    void acceptedIssuers_areTheTrustedCas() {
        assertEquals(1, verifier().getAcceptedIssuers().length);
    }
}
