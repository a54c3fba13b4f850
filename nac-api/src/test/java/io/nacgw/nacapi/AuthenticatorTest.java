package io.nacgw.nacapi;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class AuthenticatorTest {
    private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

    private static Authenticator authenticator(Executor e, Duration cacheTtl) {
        AuthSettings s = new AuthSettings(List.of(new ApiUser("ise",
                PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS), ApiRole.PARTNER, "corp")),
                ClientIdentityResolver.NONE, 10, Duration.ofMinutes(1), cacheTtl);
        return new Authenticator(s, e, Clock.systemUTC());
    }

    @Test
    void verifiedCredential_isRemembered_soPbkdf2RunsOncePerClient() {
        AtomicInteger verifications = new AtomicInteger();
        Authenticator a = authenticator(r -> {
            verifications.incrementAndGet();
            r.run();
        }, Duration.ofMinutes(5));
        String header = TestGateway.basic("ise", "pw");
        for (int i = 0; i < 5; i++) {
            Authenticator.Result r = a.authenticate(SOURCE, header, null).join();
            assertEquals(ApiRole.PARTNER, r.principal().role());
            assertEquals("corp", r.principal().profile());
        }
        assertEquals(1, verifications.get());
        assertNull(a.authenticate(SOURCE, TestGateway.basic("ise", "pW"), null).join().principal());
        assertEquals(2, verifications.get(), "a different credential is verified, not served from the cache");
    }

    @Test
    void withoutCache_everyRequestIsVerified_andMalformedHeadersFail() {
        AtomicInteger verifications = new AtomicInteger();
        Authenticator a = authenticator(r -> {
            verifications.incrementAndGet();
            r.run();
        }, Duration.ZERO);
        a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null).join();
        a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null).join();
        assertEquals(2, verifications.get());
        assertEquals(401, a.authenticate(SOURCE, "Basic !!!", null).join().status());
        assertEquals(401, a.authenticate(SOURCE, "Bearer abc", null).join().status());
        assertEquals(401, a.authenticate(SOURCE, "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()),
                null).join().status());
        assertEquals(401, a.authenticate(SOURCE, null, null).join().status());
    }

    @Test
    void fullVerifierQueue_is503NotABlockedEventLoop() {
        Authenticator a = authenticator(r -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }, Duration.ofMinutes(5));
        Authenticator.Result r = a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null).join();
        assertEquals(503, r.status());
        assertFalse(r.principal() != null);
        assertTrue(r.reason().contains("queue"));
    }

    @Test
    void certificatePrincipal_resolvedOncePerCertificate_notPerRequest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.nacgw.certs.CertificateAuthority ca = io.nacgw.certs.CertificateAuthority.open(dir.resolve("pki"));
        ca.init(io.nacgw.certs.ServerNames.defaults(), io.nacgw.certs.KeyType.defaultType(), false);
        io.nacgw.certs.IssuedClient c = ca.issueClient("ise1", io.nacgw.certs.Role.PARTNER, 1, "p12pw".toCharArray());
        java.security.cert.X509Certificate cert;
        try (var in = java.nio.file.Files.newInputStream(c.certificateFile())) {
            cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        AtomicInteger resolutions = new AtomicInteger();
        ClientIdentityResolver counting = x -> {
            resolutions.incrementAndGet();
            return java.util.Optional.of(new ApiPrincipal("ise1", ApiRole.PARTNER, null));
        };
        Authenticator a = new Authenticator(new AuthSettings(List.of(), counting, 10, Duration.ofMinutes(1), Duration.ZERO),
                Runnable::run, Clock.systemUTC());
        for (int i = 0; i < 100; i++) {
            assertEquals("ise1", a.authenticate(SOURCE, null, cert).join().principal().name());
        }
        assertEquals(1, resolutions.get());
    }
}
