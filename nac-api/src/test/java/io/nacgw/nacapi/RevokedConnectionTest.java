package io.nacgw.nacapi;

import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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

    /** One keep-alive GET; returns the status line, or null when the connection is gone. */
    private static String get(SSLSocket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("GET /ciscoise/mdminfo/?ise_api_version=3 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            if (c < 0) {
                return null;
            }
            String h = head.toString();
            int len = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    len = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(len);
            return h.substring(0, h.indexOf('\r'));
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void revoke_closesTheOpenKeepAliveConnectionOfThatCertificate_only() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            IssuedClient victim = gw.ca.issueClient("laptop-7", Role.PARTNER, 2, "p12".toCharArray());
            gw.tls.reloadIfChanged(); // the index file changed with the issue; nothing is revoked yet
            try (SSLSocket revoked = connect(gw, victim); SSLSocket other = connect(gw, gw.partnerCert)) {
                assertEquals("HTTP/1.1 200 OK", get(revoked));
                assertEquals("HTTP/1.1 200 OK", get(other));
                long before = gw.server.guardStats().revokedConnectionsClosed();

                gw.ca.revokeByName("laptop-7"); // rewrites crl.pem, as `nacgw certs revoke` does
                assertTrue(gw.tls.reloadIfChanged(), "the CRL change was not picked up");

                assertEquals(null, get(revoked), "the revoked certificate's open connection still answers");
                assertEquals(before + 1, gw.server.guardStats().revokedConnectionsClosed());
                assertEquals("HTTP/1.1 200 OK", get(other));
            }
            try (SSLSocket again = (SSLSocket) gw.clientTls(victim).sslContext().getSocketFactory()
                    .createSocket("localhost", gw.port())) {
                again.setSoTimeout(10_000);
                boolean refused;
                try {
                    again.startHandshake();
                    refused = get(again) == null; // TLS 1.3: the client learns of the refusal on its first read
                } catch (IOException e) {
                    refused = true;
                }
                assertTrue(refused, "a new connection with the revoked certificate was accepted");
            }
        }
    }
}
