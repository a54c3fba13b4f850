package io.nacgw.nacapi.server;

import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.TestGateway;
import io.nacgw.nacapi.auth.ApiUser;
import io.nacgw.nacapi.auth.AuthSettings;
import io.nacgw.nacapi.auth.ClientIdentityResolver;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.core.testing.TestStores;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TLS 1.2 and 1.3 only, whichever way the engine is made. */
final class TlsTest {

    @Test
    void engine_keepsOnlyTls12And13() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine e = ApiInitializer.engine(() -> {
            SSLEngine x = ctx.createSSLEngine();
            x.setEnabledProtocols(new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"});
            return x;
        });
        assertArrayEquals(new String[] {"TLSv1.2", "TLSv1.3"}, e.getEnabledProtocols());
        assertFalse(e.getUseClientMode());
        assertThrows(IllegalStateException.class, () -> ApiInitializer.engine(() -> {
            SSLEngine x = ctx.createSSLEngine();
            x.setEnabledProtocols(new String[] {"TLSv1.1"});
            return x;
        }));
    }

    @Test
    void certsEngines_serveTls13_andRefuseTls11() throws Exception {
        try (TestGateway pki = TestGateway.start();
             ComplianceStore store = ComplianceStore.open(TestStores.fresh(2));
             ComplianceService service = ComplianceService.start(store, IndexSettings.DEFAULTS)) {
            AuthSettings auth = AuthSettings.of(List.of(new ApiUser("ise",
                    PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS), ApiRole.PARTNER, null)),
                    ClientIdentityResolver.NONE);
            try (ApiServer server = ApiServer.start(ApiSettings.defaults().withAddress("127.0.0.1", 0),
                    IseSettings.defaults(TestGateway.REDIRECT), auth,
                    pki.tls::newEngine, service, pki.policy,
                    Clock.systemUTC())) {
                SSLContext client = pki.clientTls(null).sslContext();
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.address().getPort())) {
                    s.startHandshake();
                    assertEquals("TLSv1.3", s.getSession().getProtocol());
                    s.getOutputStream().write(("GET /ciscoise/mdminfo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                            + "Authorization: " + TestGateway.basic("ise", "pw") + "\r\n\r\n").getBytes());
                    String res = new String(s.getInputStream().readAllBytes());
                    assertEquals("HTTP/1.1 200 OK", res.substring(0, res.indexOf('\r')));
                }
                try (SSLSocket old = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.address().getPort())) {
                    old.setEnabledProtocols(new String[] {"TLSv1.1"});
                    assertThrows(SSLHandshakeException.class, old::startHandshake);
                } catch (IllegalArgumentException jdkRefusesTls11) {
                    // this JDK cannot even offer TLS 1.1; the engine test above covers the server side
                }
            }
        }
    }
}
