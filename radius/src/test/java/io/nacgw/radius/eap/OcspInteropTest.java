package io.nacgw.radius.eap;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code radius.eap.tls.ocsp} end to end: {@code openssl ocsp} as the responder on a loopback port (named in the
 * device certificates' AIA), eapol_test as supplicant and NAS, servers in {@code prefer} and {@code require} mode
 * and, for "responder down", servers pointed at a closed port. Real time throughout: openssl dates its answers now.
 * Must not skip in CI.
 */
final class OcspInteropTest {
    private static final DeviceGuid DEVICE_ID = DeviceGuid.intune("11111111-2222-4333-8444-0000000000a1");
    private static final String MAC = "02:00:00:00:0a:01";
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static TestWorld world;
    private static TestPki pki;
    private static Process responder;
    private static final List<RadiusServer> servers = new ArrayList<>();
    private static RadiusServer prefer;
    private static RadiusServer require;
    private static RadiusServer preferDown;
    private static RadiusServer requireDown;
    private static TestPki.Issued good;
    private static TestPki.Issued revoked;
    private static TestPki.Issued unknown;

    @BeforeAll
    static void start() throws Exception {
        Path openssl = Needs.executable("openssl", "/usr/bin/openssl");
        Needs.executable("eapoltest", "/usr/bin/eapol_test");
        Instant now = Instant.now();
        DeviceRecord fresh = DeviceRecord.builder().deviceId(DEVICE_ID).deviceName("ocsp-dev")
                .platform(io.nacgw.core.device.Platform.WINDOWS)
                .managementState(io.nacgw.core.device.ManagementState.MANAGED)
                .complianceState(ComplianceState.COMPLIANT)
                .lastCheckIn(now.minus(Duration.ofHours(1))).lastModified(now.minus(Duration.ofHours(1)))
                .addMac(MacAddress.parse(MAC)).build();
        world = new TestWorld(IndexSettings.DEFAULTS, List.of(fresh));
        pki = new TestPki(dir, now, false);
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/";
        good = pki.deviceWithOcsp("ocsp-good", DEVICE_ID.canonical(), url);
        revoked = pki.deviceWithOcsp("ocsp-revoked", DEVICE_ID.canonical(), url);
        unknown = pki.deviceWithOcsp("ocsp-unknown", DEVICE_ID.canonical(), url);
        Path index = dir.resolve("index.txt");
        Files.writeString(index, indexLine("V", good.cert(), null) + indexLine("R", revoked.cert(), now.minusSeconds(600)),
                StandardCharsets.US_ASCII);
        // openssl 3.0 cannot bind one address: it listens on all of them; the test only talks over loopback
        responder = new ProcessBuilder(openssl.toString(), "ocsp", "-index", index.toString(), "-port",
                Integer.toString(port), "-rsigner", pki.issuing.certFile().toString(), "-rkey",
                pki.issuing.keyFile().toString(), "-CA", pki.issuing.certFile().toString(), "-ndays", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ocsp.log").toFile()).start();
        awaitListening(port);

        URI closed = URI.create("http://127.0.0.1:" + freePort() + "/");
        prefer = server(new OcspSettings(OcspSettings.Mode.PREFER, null, Duration.ofSeconds(5), true, 100));
        require = server(new OcspSettings(OcspSettings.Mode.REQUIRE, null, Duration.ofSeconds(5), false, 100));
        preferDown = server(new OcspSettings(OcspSettings.Mode.PREFER, closed, Duration.ofSeconds(2), false, 100));
        requireDown = server(new OcspSettings(OcspSettings.Mode.REQUIRE, closed, Duration.ofSeconds(2), false, 100));
    }

    private static RadiusServer server(OcspSettings ocsp) {
        EapSettings eap = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile())
                .withOcsp(ocsp);
        RadiusServices real = new RadiusServices(world.policy, world.compliance, world.sessions, world.audit::add,
                Clock.systemUTC());
        RadiusServer s = RadiusServer.start(TestWorld.settings(), eap, List.of(TestWorld.switchClient("127.0.0.1").build()),
                real);
        servers.add(s);
        return s;
    }

    @AfterAll
    static void stop() {
        servers.forEach(RadiusServer::close);
        if (responder != null) {
            responder.destroy();
        }
        if (world != null) {
            world.close();
        }
    }

    /** A line of openssl's CA database: V(alid) or R(evoked), expiry, revocation time, serial, file, subject. */
    private static String indexLine(String status, X509Certificate c, Instant revokedAt) {
        String serial = c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        if (serial.length() % 2 == 1) {
            serial = "0" + serial; // openssl prints whole bytes
        }
        String rev = revokedAt == null ? "" : INDEX_TIME.format(revokedAt) + ",keyCompromise";
        return status + "\t" + INDEX_TIME.format(c.getNotAfter().toInstant()) + "\t" + rev + "\t" + serial
                + "\tunknown\t/" + c.getSubjectX500Principal().getName().replace(',', '/') + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits for openssl's "waiting for … connections" line (a probe connection would hang its one-at-a-time loop). */
    private static void awaitListening(int port) throws Exception {
        Path log = dir.resolve("ocsp.log");
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            if (!responder.isAlive()) {
                throw new AssertionError("openssl ocsp exited: " + out);
            }
            if (out.contains("waiting for OCSP client connections")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("openssl ocsp does not listen on " + port);
    }

    private static Eapol.Run run(RadiusServer s, TestPki.Issued device) {
        return Eapol.run(dir, s.authAddress().getPort(), TestWorld.SECRET, MAC, Eapol.tls(pki, device, false, 1398), 0,
                true);
    }

    /** The audit line of {@code cn}'s authentication that contains {@code needle} (lines arrive asynchronously). */
    private static String audit(String cn, String needle) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            synchronized (world.audit) {
                for (String line : world.audit) {
                    if (line.contains("CN=" + cn) && line.contains(needle)) {
                        return line;
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no audit line for " + cn + " with " + needle + " in " + world.audit);
    }

    private static void assertRejected(Eapol.Run r) {
        assertFalse(r.success(), r::toString);
        assertTrue(r.output().contains("code=3 (Access-Reject)"), r::toString);
    }

    @Test
    void good_isAccepted_inBothModes() {
        Eapol.Run r = run(prefer, good);
        assertTrue(r.success() && r.mppeOk(), r::toString);
        Eapol.Run q = run(require, good);
        assertTrue(q.success() && q.mppeOk(), q::toString);
        String line = audit("ocsp-good", "\"accept\"");
        assertTrue(line.contains("good"), line);
    }

    @Test
    void revoked_isRejected_withTheReasonInTheAudit() {
        assertRejected(run(prefer, revoked));
        String line = audit("ocsp-revoked", "certificate_revoked");
        assertTrue(line.contains("keyCompromise") && line.contains("revoked at"), line);
    }

    @Test
    void unknownToTheResponder_passesOnPrefer_isRejectedOnRequire() {
        Eapol.Run r = run(prefer, unknown);
        assertTrue(r.success(), r::toString);
        assertRejected(run(require, unknown));
        audit("ocsp-unknown", "certificate_status_unknown");
    }

    @Test
    void responderDown_passesOnPrefer_isRejectedOnRequire() {
        Eapol.Run r = run(preferDown, good);
        assertTrue(r.success() && r.mppeOk(), r::toString);
        audit("ocsp-good", "unavailable");
        assertRejected(run(requireDown, good));
        audit("ocsp-good", "certificate_status_unavailable");
    }
}
