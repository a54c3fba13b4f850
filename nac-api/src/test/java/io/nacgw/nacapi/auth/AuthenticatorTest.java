package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.nacapi.TestGateway;
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

    /** An executor that holds tasks until the test runs them: "verification in progress" without threads. */
    private static final class Held implements Executor {
        final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
        int submitted;

        @Override
        public void execute(Runnable r) {
            submitted++;
            tasks.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    private static Authenticator authenticator(Executor e, int maxUnverified, GuardMetrics guards) {
        AuthSettings s = new AuthSettings(List.of(new ApiUser("ise",
                PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS), ApiRole.PARTNER, "corp")),
                ClientIdentityResolver.NONE, 10, Duration.ofMinutes(1), Duration.ofMinutes(5), maxUnverified);
        return new Authenticator(s, e, Clock.systemUTC(), guards);
    }

    private static InetAddress address(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 9, (byte) (i >> 8), (byte) i});
    }

    @Test
    void concurrentIdenticalFirstRequests_shareOneVerification_andAllSucceed() {
        Held held = new Held();
        GuardMetrics g = new GuardMetrics();
        Authenticator a = authenticator(held, 2, g);
        List<java.util.concurrent.CompletableFuture<Authenticator.Result>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null));
        }
        assertEquals(1, held.submitted, "one PBKDF2 run for 100 identical requests");
        held.runAll();
        for (java.util.concurrent.CompletableFuture<Authenticator.Result> f : all) {
            assertEquals(200, f.join().status(), f.join().reason());
        }
        assertEquals(1, g.basicVerifications.sum());
        assertEquals(99, g.basicCoalesced.sum());
        assertEquals(0, g.basicShed.sum());
    }

    @Test
    void burstOfGuessesFromOneAddress_isCountedBeforeVerifying_soAtMostTheLimitIsVerified() {
        Held held = new Held();
        Authenticator a = authenticator(held, 1000, new GuardMetrics());
        int tooMany = 0;
        for (int i = 0; i < 200; i++) {
            Authenticator.Result r = a.authenticate(SOURCE, TestGateway.basic("ise", "guess" + i), null).getNow(null);
            if (r != null && r.status() == 429) {
                tooMany++;
            }
        }
        assertEquals(10, held.submitted, "verifications started for one source within the window");
        assertEquals(190, tooMany);
        held.runAll();
        assertEquals(429, a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null).join().status(),
                "the source stays blocked for the window");
    }

    @Test
    void validLogin_givesItsCountedAttemptBack() {
        Authenticator a = authenticator(Runnable::run, 2, new GuardMetrics());
        for (int i = 0; i < 9; i++) {
            assertEquals(401, a.authenticate(SOURCE, TestGateway.basic("ise", "wrong" + i), null).join().status());
        }
        for (int i = 0; i < 3; i++) { // distinct headers, so none is served from the cache
            assertEquals(200, a.authenticate(SOURCE, TestGateway.basic("ise", "pw") + " ".repeat(i), null).join().status());
        }
        assertEquals(401, a.authenticate(SOURCE, TestGateway.basic("ise", "wrong9"), null).join().status(),
                "the tenth failure is still verified");
        assertEquals(429, a.authenticate(SOURCE, TestGateway.basic("ise", "wrong10"), null).join().status());
    }

    @Test
    void guessesFromRotatingAddresses_areBoundedGlobally_withoutStarvingKnownCredentials() throws Exception {
        Held held = new Held();
        GuardMetrics g = new GuardMetrics();
        Authenticator a = authenticator(held, 2, g);
        // a client verified earlier, its credential cached
        java.util.concurrent.CompletableFuture<Authenticator.Result> first = a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null);
        held.runAll();
        assertEquals(200, first.join().status());
        int shed = 0;
        for (int i = 0; i < 300; i++) {
            Authenticator.Result r = a.authenticate(address(i), TestGateway.basic("ise", "guess" + i), null).getNow(null);
            if (r != null) {
                assertEquals(503, r.status());
                assertEquals(1, r.retryAfterSeconds());
                shed++;
            }
        }
        assertEquals(1 + 2, held.submitted, "at most two unknown credentials verified at once, whatever the addresses");
        assertEquals(298, shed);
        assertEquals(298, g.basicShed.sum());
        Authenticator.Result cached = a.authenticate(SOURCE, TestGateway.basic("ise", "pw"), null).getNow(null);
        assertEquals(200, cached.status(), "a cached credential is answered at once during the flood");
        held.runAll();
        assertNull(a.authenticate(address(999), TestGateway.basic("ise", "x"), null).getNow(null),
                "once the running guesses finish, a new credential is verified again (not shed)");
        assertEquals(4, held.submitted);
    }
}
