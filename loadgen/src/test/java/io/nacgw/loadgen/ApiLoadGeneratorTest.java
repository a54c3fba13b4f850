package io.nacgw.loadgen;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ApiLoadGeneratorTest {
    private static final SyntheticDevices DEVICES = new SyntheticDevices(8, 1000, SyntheticDevices.defaultMix(), "SYN-",
            Instant.parse("2026-11-23T12:00:00Z"));
    private static final Targets TARGETS = Targets.synthetic(DEVICES);
    private static final Expectations CORP = Expectations.preset("corp-wifi");
    @TempDir
    static Path dir;
    static Path serverCert;
    static Path serverKey;
    static Path clientCert;
    static Path clientKey;

    /** Certificates come from the openssl command line (installed wherever the CI runs; see .ci/run). */
    @BeforeAll
    static void certificates() throws Exception {
        Needs.executable("openssl", "/usr/bin/openssl");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        selfSigned(serverCert, serverKey, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        selfSigned(clientCert, clientKey, "/CN=loadgen-partner", "extendedKeyUsage=clientAuth");
    }

    private static void selfSigned(Path cert, Path key, String subject, String ext) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", subject,
                "-addext", ext).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static ApiLoadSettings settings(FakeApiServer s, ApiMode mode, int connections, double rate, Duration duration,
                                            long requests, boolean keepAlive, String basic, Duration timeout) {
        return new ApiLoadSettings("127.0.0.1", s.port(), mode, connections, rate, duration, requests, Duration.ZERO,
                keepAlive, serverCert, false, clientCert, clientKey, basic, timeout, 0.1, 1, true, 0, false);
    }

    private static Report run(ApiLoadSettings s) throws Exception {
        return ApiLoadGenerator.run(s, TARGETS, CORP, new PrintWriter(new StringWriter(), true));
    }

    private static FakeApiServer server(FakeApiServer.Fault fault, String basic) throws Exception {
        return new FakeApiServer(serverCert, serverKey, clientCert, DEVICES, CORP, fault, basic);
    }

    @Test
    void api_iseV3WithClientCertificate_everyClassMatches() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.NONE, null)) {
            Report r = run(settings(s, ApiMode.ISE_V3, 4, 0, null, 1000, true, null, Duration.ofSeconds(2)));
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(1000, r.ok());
            assertEquals(4, s.connections.get(), "keep-alive: one connection each");
            assertTrue(r.verdicts().get("compliant allow") > 0, r.verdicts().toString());
            assertTrue(r.verdicts().get("noncompliant not-allow") > 0, r.verdicts().toString());
            assertTrue(r.verdicts().get("unknown unknown") > 0, r.verdicts().toString());
            assertTrue(r.toText().startsWith("target https://127.0.0.1:" + s.port() + ", closed loop, 4 outstanding, keep-alive on, API ise-v3"), r.toText());
        }
    }

    @Test
    void api_jsonWithBasicAuth_keepAliveOff_opensAConnectionPerRequest() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.NONE, "partner:s3cret-pass")) {
            Report r = run(settings(s, ApiMode.JSON, 2, 0, null, 100, false, "partner:s3cret-pass", Duration.ofSeconds(2)));
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(100, r.ok());
            assertEquals(100, s.connections.get());
            assertTrue(r.verdicts().get("unknown unknown-quarantine") > 0, r.verdicts().toString());
            assertFalse(r.toText().contains("s3cret") || r.toJson().contains("s3cret"));
        }
    }

    @Test
    void api_wrongBasicCredentials_areHttpStatusErrors() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.NONE, "partner:right")) {
            Report r = run(settings(s, ApiMode.JSON, 2, 0, null, 50, true, "partner:wrong", Duration.ofSeconds(2)));
            assertEquals(1, r.exitStatus(), r.toText());
            assertEquals(50, r.errors().get("http_status"));
            assertEquals(50, r.verdicts().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(r.verdicts().keySet().stream().allMatch(k -> k.endsWith("http-401")), r.verdicts().toString());
        }
    }

    @Test
    void api_serverFlipsVerdict_isCountedAsMismatch() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.FLIP_VERDICT, null)) {
            Report r = run(settings(s, ApiMode.ISE_V2, 2, 0, null, 200, true, null, Duration.ofSeconds(2)));
            assertEquals(1, r.exitStatus(), r.toText());
            assertTrue(r.errors().get("verdict_mismatch") > 150, r.toText()); // unknown devices still read as unknown
            assertEquals(r.ok(), Math.round(r.throughput() * r.seconds()), "only the right answers are throughput: " + r.toText());
        }
    }

    @Test
    void api_serverError_isCounted() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.SERVER_ERROR, null)) {
            Report r = run(settings(s, ApiMode.ISE_V3, 2, 0, null, 40, true, null, Duration.ofSeconds(2)));
            assertEquals(40, r.errors().get("http_status"), r.toText());
            assertEquals(0.0, r.throughput(), "a 5xx answer is not throughput: " + r.toText());
        }
    }

    @Test
    void api_silentServer_everyRequestTimesOut() throws Exception { // a hang is caught by the class @Timeout
        try (FakeApiServer s = server(FakeApiServer.Fault.SILENT, null)) {
            Report r = run(settings(s, ApiMode.JSON, 3, 0, Duration.ofMillis(400), 0, true, null, Duration.ofMillis(150)));
            assertEquals(3, r.exitStatus(), r.toText());
            assertTrue(r.errors().get("timeout") >= 3, r.toText());
            assertEquals(0, r.answers());
        }
    }

    @Test
    void api_openLoop_keepsTheRateAndMatches() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.NONE, null)) {
            // 300 requests on a 300/s schedule: every one answered and matched, and the schedule is never run ahead
            // of (a lower bound only: a loaded machine may take longer, which the report's latency shows)
            long t0 = System.nanoTime();
            Report r = run(settings(s, ApiMode.JSON, 8, 300, null, 300, true, null, Duration.ofSeconds(5)));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(300, r.answers(), r.toText());
            assertTrue(elapsedMs >= 990, "300 requests at 300/s took only " + elapsedMs + " ms");
            assertTrue(r.mode().startsWith("open loop, 300 requests/s"), r.mode());
        }
    }

    @Test
    void api_statusOnly_countsAnyOkAnswer_evenWithWrongVerdicts() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.FLIP_VERDICT, null)) {
            ApiLoadSettings st = new ApiLoadSettings("127.0.0.1", s.port(), ApiMode.ISE_V3, 2, 0, null, 100, Duration.ZERO,
                    true, serverCert, false, clientCert, clientKey, null, Duration.ofSeconds(2), 0.1, 1, true, 0, true);
            Report r = run(st);
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(100, r.ok());
            assertTrue(r.expectations().startsWith("HTTP 200 only"), r.expectations());
        }
    }

    @Test
    void api_untrustedServerCertificate_isConnectFailed() throws Exception {
        try (FakeApiServer s = server(FakeApiServer.Fault.NONE, null)) {
            // trust only the client's certificate: the server's does not verify
            ApiLoadSettings bad = new ApiLoadSettings("127.0.0.1", s.port(), ApiMode.JSON, 1, 0, null, 5, Duration.ZERO,
                    true, clientCert, false, clientCert, clientKey, null, Duration.ofMillis(500), 0.1, 1, true, 0, false);
            Report r = run(bad);
            assertEquals(3, r.exitStatus(), r.toText());
            assertEquals(5, r.errors().get("connect_failed") + r.errors().get("timeout"), r.toText());
            // the same through the per-request connect path (no keep-alive)
            ApiLoadSettings perRequest = new ApiLoadSettings("127.0.0.1", s.port(), ApiMode.JSON, 2, 0, null, 20, Duration.ZERO,
                    false, clientCert, false, clientCert, clientKey, null, Duration.ofMillis(500), 0.1, 1, true, 0, false);
            Report r2 = run(perRequest);
            assertEquals(3, r2.exitStatus(), r2.toText());
            assertEquals(20, r2.errors().get("connect_failed") + r2.errors().get("timeout"), r2.toText());
            assertEquals(0, r2.answers());
        }
    }
}
