package io.nacgw.sync;

import io.nacgw.core.secret.Secret;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client authentication with a certificate-signed assertion instead of a secret (keys made by the JDK's keytool). */
final class ClientCertificateTest {
    private static final Secret PASSWORD = Secret.of("changeit");
    @TempDir
    static Path dir;
    private static Path rsa;
    private static Path ec;

    @BeforeAll
    static void keys() throws Exception {
        rsa = keytool("rsa.p12", "RSA", "2048");
        ec = keytool("ec.p12", "EC", "256");
    }

    private static Path keytool(String name, String alg, String size) throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "nacgw-sync", "-keyalg", alg, "-keysize", size, "-dname", "CN=nacgw-sync-test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "keytool failed");
        return file;
    }

    @Test
    void fromPkcs12_loadsKeyAndThumbprint_toStringShowsNoKey() throws Exception {
        ClientCertificate c = ClientCertificate.fromPkcs12(rsa, PASSWORD, null);
        String sha1 = HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-1").digest(c.certificate().getEncoded()));
        assertEquals(sha1, c.thumbprint());
        assertEquals("ClientCertificate[CN=nacgw-sync-test, thumbprint " + sha1 + "]", c.toString());
        assertEquals(sha1, ClientCertificate.fromPkcs12(rsa, PASSWORD, "nacgw-sync").thumbprint());
    }

    @Test
    void fromPkcs12_unusableFiles_failNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientCertificate.fromPkcs12(rsa,
                Secret.of("wrong"), null)).getMessage().startsWith("sync.clientCertificate: cannot read the PKCS#12 "
                + "file " + rsa));
        assertEquals("sync.clientCertificate: " + rsa + " has no private key under alias 'other'",
                assertThrows(IllegalArgumentException.class, () -> ClientCertificate.fromPkcs12(rsa, PASSWORD,
                        "other")).getMessage());
        assertEquals("sync.clientCertificate: the key in " + ec + " must be an RSA key with an X.509 certificate "
                        + "(the token endpoint expects RS256)",
                assertThrows(IllegalArgumentException.class, () -> ClientCertificate.fromPkcs12(ec, PASSWORD, null))
                        .getMessage());
    }

    @Test
    void settings_secretAndCertificateTogether_refused() {
        ClientCertificate c = ClientCertificate.fromPkcs12(rsa, PASSWORD, null);
        SyncSettings s = SyncSettings.builder(java.net.URI.create("https://login.example/t"), "app", c).build();
        assertTrue(s.toString().contains("clientCertificate=ClientCertificate[CN=nacgw-sync-test"), s.toString());
        assertEquals("set only one of sync.clientSecret and sync.clientCertificate",
                assertThrows(IllegalArgumentException.class, () -> new SyncSettings(s.tokenUrl(), "app",
                        Secret.of("x"), c, s.scope(), s.baseUrl(), s.pageSize(), s.fullInterval(),
                        s.incrementalInterval(), s.requestTimeout(), s.maxAttempts(), s.initialBackoff(),
                        s.maxBackoff(), s.maxRetryAfter(), s.incrementalOverlap(), s.retireGuardPercent(),
                        s.retireGuardMinimum(), s.retireConfirmConcurrency())).getMessage());
    }

    @Test
    void token_clientAssertion_signedVerifiedAndNoSecretSent() throws Exception {
        ClientCertificate c = ClientCertificate.fromPkcs12(rsa, PASSWORD, null);
        try (SyncFixture f = new SyncFixture()) {
            f.graph.assertionCertificate = c.certificate();
            f.graph.setDevices(SyncFixture.devices(1, 2));
            SyncSettings s = SyncSettings.builder(f.graph.tokenUrl, FakeGraph.CLIENT_ID, c)
                    .baseUrl(f.settings.baseUrl()).build();
            try (DefaultSyncService sync = new DefaultSyncService(s, f.compliance, HttpClient.newHttpClient(), f.clock,
                    f.sleeper, () -> 0.5)) {
                SyncReport r = sync.runFull();

                assertTrue(r.succeeded(), r.error());
                assertEquals(2, f.store.count());
                String form = f.graph.tokenForms.get(0);
                assertTrue(form.startsWith("grant_type=client_credentials&client_id=" + FakeGraph.CLIENT_ID
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                        + "&client_assertion="), form);
                assertFalse(form.contains("client_secret"), form);
                List<java.util.Map<String, Object>> claims = f.graph.assertionClaims;
                assertEquals(1, claims.size());
                assertEquals(f.clock.instant().getEpochSecond(), claims.get(0).get("iat"));
            }
        }
    }

    @Test
    void token_clientAssertion_freshPerAttempt() throws Exception {
        ClientCertificate c = ClientCertificate.fromPkcs12(rsa, PASSWORD, null);
        try (SyncFixture f = new SyncFixture()) {
            f.graph.assertionCertificate = c.certificate();
            f.graph.tokenInterceptor = (n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 503, "", "Retry-After", "240");
                    return true;
                }
                return false;
            };
            SyncSettings s = SyncSettings.builder(f.graph.tokenUrl, FakeGraph.CLIENT_ID, c)
                    .baseUrl(f.settings.baseUrl()).build();
            try (DefaultSyncService sync = new DefaultSyncService(s, f.compliance, HttpClient.newHttpClient(), f.clock,
                    f.sleeper, () -> 0.5)) {
                long before = f.clock.instant().getEpochSecond();

                assertTrue(sync.runFull().succeeded());

                assertEquals(List.of(Duration.ofSeconds(240)), f.sleeper.delays);
                assertEquals(before + 240, f.graph.assertionClaims.get(0).get("iat"));
            }
        }
    }
}
