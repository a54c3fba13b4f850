package io.nacgw.nacapi.server;

import io.nacgw.nacapi.RawHttp;
import io.nacgw.nacapi.TestGateway;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client-initiated TLS 1.2 renegotiation is refused (a CPU-exhaustion lever; TLS 1.3 has none). */
final class RenegotiationTest {

    @Test
    void tls12_clientInitiatedRenegotiation_isRefused_andTheConnectionEnds() throws Exception {
        try (TestGateway gw = TestGateway.start();
             SSLSocket s = (SSLSocket) gw.clientTls(gw.partnerCert).sslContext().getSocketFactory()
                     .createSocket("localhost", gw.port())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            assertEquals("HTTP/1.1 200 OK", RawHttp.mdminfo(s));
            boolean refused;
            try {
                s.startHandshake(); // a new ClientHello on the established connection: renegotiation
                refused = RawHttp.mdminfo(s) == null;
            } catch (IOException e) {
                refused = true;
            }
            assertTrue(refused, "the server renegotiated and kept serving");
            assertEquals("true", System.getProperty(ApiServer.REJECT_RENEGOTIATION));
        }
    }
}
