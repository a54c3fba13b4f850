package io.nacgw.radius.eap;

import com.sun.net.httpserver.HttpServer;
import io.nacgw.certs.PeerCertificateRejectedException;
import io.nacgw.certs.RejectReason;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CRLs from URLs: fetched off the request path, installed when they verify, the last good copy kept on failure. */
final class CrlFetcherTest {
    @TempDir
    Path dir;

    @Test
    void fetchedCrl_revokes_andAFailedFetchKeepsTheLastGoodCopy() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        TestPki.Issued dev = pki.device("dev", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        AtomicReference<byte[]> body = new AtomicReference<>(Files.readAllBytes(pki.revoke(dev.cert())));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/issuing.crl", ex -> {
            byte[] b = body.get();
            ex.sendResponseHeaders(b == null ? 404 : 200, b == null ? -1 : b.length);
            if (b != null) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        http.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/issuing.crl");
            EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                    pki.server.keyFile()).withRevocation(List.of(), List.of(url));
            TlsMaterial tls = TlsMaterial.load(s, Clock.fixed(TestWorld.NOW, ZoneOffset.UTC));
            X509Certificate[] chain = dev.chain().toArray(new X509Certificate[0]);
            tls.verifier().verify(chain); // nothing fetched yet: valid

            CrlFetcher f = new CrlFetcher(s, tls);
            f.fetchAll();
            assertEquals(RejectReason.REVOKED,
                    assertThrows(PeerCertificateRejectedException.class, () -> tls.verifier().verify(chain)).reason());

            body.set(null); // the CRL server now answers 404
            f.fetchAll();
            assertEquals(1, f.failures());
            assertEquals(RejectReason.REVOKED,
                    assertThrows(PeerCertificateRejectedException.class, () -> tls.verifier().verify(chain)).reason());

            body.set("not a CRL".getBytes()); // garbage is refused, the good copy stays
            f.fetchAll();
            assertEquals(2, f.failures());
            assertThrows(PeerCertificateRejectedException.class, () -> tls.verifier().verify(chain));
        } finally {
            http.stop(0);
        }
    }
}
