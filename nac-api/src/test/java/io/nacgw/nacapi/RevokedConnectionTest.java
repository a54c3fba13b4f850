package io.nacgw.nacapi;

import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A revocation ends keep-alive connections already open with the revoked certificate; others keep working. */
final class RevokedConnectionTest {

    private static SSLSocket connect(TestGateway gw, IssuedClient cert) throws IOException {
        SSLSocket s = (SSLSocket) gw.clientTls(cert).sslContext().getSocketFactory().createSocket("localhost", gw.port());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    @Test
    void revoke_closesTheOpenKeepAliveConnectionOfThatCertificate_only() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            IssuedClient victim = gw.ca.issueClient("laptop-7", Role.PARTNER, 2, "p12".toCharArray());
            gw.tls.reloadIfChanged(); // the index file changed with the issue; nothing is revoked yet
            try (SSLSocket revoked = connect(gw, victim); SSLSocket other = connect(gw, gw.partnerCert)) {
                assertEquals("HTTP/1.1 200 OK", RawHttp.mdminfo(revoked));
                assertEquals("HTTP/1.1 200 OK", RawHttp.mdminfo(other));
                long before = gw.server.guardStats().revokedConnectionsClosed();

                gw.ca.revokeByName("laptop-7"); // rewrites crl.pem, as `nacgw certs revoke` does
                assertTrue(gw.tls.reloadIfChanged(), "the CRL change was not picked up");

                assertEquals(null, RawHttp.mdminfo(revoked), "the revoked certificate's open connection still answers");
                assertEquals(before + 1, gw.server.guardStats().revokedConnectionsClosed());
                assertEquals("HTTP/1.1 200 OK", RawHttp.mdminfo(other));
            }
            try (SSLSocket again = (SSLSocket) gw.clientTls(victim).sslContext().getSocketFactory()
                    .createSocket("localhost", gw.port())) {
                again.setSoTimeout(10_000);
                boolean refused;
                try {
                    again.startHandshake();
                    refused = RawHttp.mdminfo(again) == null; // TLS 1.3: the client learns of the refusal on its first read
                } catch (IOException e) {
                    refused = true;
                }
                assertTrue(refused, "a new connection with the revoked certificate was accepted");
            }
        }
    }
}
