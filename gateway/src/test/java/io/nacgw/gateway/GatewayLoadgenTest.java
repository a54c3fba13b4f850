package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Date;
import java.util.regex.Matcher;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.loadgen.SyntheticDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generators against the real gateway, in-process: every device class of the synthetic set gets the
 * verdict the default corp-wifi profile promises, over RADIUS (MAB), over HTTPS with mutual TLS, and over 802.1X
 * EAP-TLS ({@code --shape eap-tls}: full TLS 1.2 and 1.3 handshakes and resumed TLS 1.2 ones, every conversation's
 * MS-MPPE keys checked against the client's own derivation; a foreign CA or a wrong secret reported as errors).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GatewayLoadgenTest {
    private static final String SECRET = "loadgen-in-process-secret";
    @TempDir
    Path dir;

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    /** The report's "verdicts:" line counts at least one answer for each device class (not just names it). */
    private static void assertEveryClassAnswered(String report) {
        String verdicts = report.lines().filter(l -> l.startsWith("verdicts:")).findFirst().orElseThrow(
                () -> new AssertionError("no verdicts line: " + report));
        for (String cls : new String[]{"compliant", "noncompliant", "grace", "unmanaged", "unknown"}) {
            assertTrue(Pattern.compile("\\s" + cls + " \\S+=[1-9]").matcher(verdicts).find(),
                    "class " + cls + " got answers: " + verdicts);
        }
    }

    private static Properties radiusOnLoopback() {
        Properties p = new Properties();
        p.setProperty("nacgw.radius.bindAddress", "127.0.0.1");
        p.setProperty("nacgw.radius.authPort", "0");
        p.setProperty("nacgw.radius.acctPort", "0");
        return p;
    }

    private static void store(Gateway g, SyntheticDevices set) {
        List<io.nacgw.core.device.DeviceRecord> all = new ArrayList<>();
        for (int i = 0; i < set.count(); i++) {
            all.add(set.device(i));
        }
        g.compliance().upsertAll(all);
    }

    @Test
    void radiusAndApiLoad_everyClassGetsItsVerdict() throws Exception {
        Properties p = radiusOnLoopback();
        p.setProperty("nacgw.radius.clients.localhost.secrets", SECRET);
        p.setProperty("nacgw.api.host", "127.0.0.1");
        p.setProperty("nacgw.api.port", "0");
        p.setProperty("nacgw.metrics.port", "0");
        NacgwConfig config = new ConfigLoader().load(null, Map.of(), p).withDataDir(dir.resolve("data"));
        SyntheticDevices set = new SyntheticDevices(3, 2_000, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            store(g, set);
            Path secret = dir.resolve("secret");
            Files.writeString(secret, SECRET + "\n");

            Run radius = run("loadtest", "radius", "--target", "127.0.0.1:" + g.radius().orElseThrow().authAddress().getPort(),
                    "--secret-file", secret.toString(), "--count", "2000", "--seed", "3", "--profile", "corp-wifi",
                    "--concurrency", "16", "--requests", "5000", "--quiet");
            assertEquals(0, radius.status, radius.out);
            assertTrue(radius.out.contains("result: OK"), radius.out);
            assertEveryClassAnswered(radius.out);

            Path pki = config.dataDir().resolve("pki");
            IssuedClient partner = CertificateAuthority.open(pki).issueClient("loadgen", Role.PARTNER, 1, "x-p12".toCharArray());
            for (String mode : new String[]{"ise-v3", "json"}) {
                Run api = run("loadtest", "api", "--target", "https://127.0.0.1:" + g.api().orElseThrow().address().getPort(),
                        "--mode", mode, "--ca", pki.resolve("ca.pem").toString(), "--client-cert",
                        partner.certificateFile().toString(), "--client-key", partner.keyFile().toString(),
                        "--count", "2000", "--seed", "3", "--connections", "4", "--requests", "2000", "--quiet");
                assertEquals(0, api.status, mode + ": " + api.out);
                assertTrue(api.out.contains("result: OK"), api.out);
                assertEveryClassAnswered(api.out);
            }
        }
    }

    @Test
    void radsecLoad_overFourConnections_everyClassGetsItsVerdict() throws Exception {
        Properties p = radiusOnLoopback();
        p.setProperty("nacgw.radius.radsec.enabled", "true");
        p.setProperty("nacgw.radius.radsec.port", "0");
        p.setProperty("nacgw.radius.clients.localhost.secrets", SECRET);
        p.setProperty("nacgw.api.enabled", "false");
        p.setProperty("nacgw.metrics.enabled", "false");
        NacgwConfig config = new ConfigLoader().load(null, Map.of(), p).withDataDir(dir.resolve("data"));
        SyntheticDevices set = new SyntheticDevices(5, 1_000, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            store(g, set);
            Path pki = config.dataDir().resolve("pki");
            IssuedClient nas = CertificateAuthority.open(pki).issueClient("localhost", Role.NAS, 1, "x-p12".toCharArray());
            String target = "127.0.0.1:" + g.radius().orElseThrow().radsec().orElseThrow().address().getPort();

            Run radsec = run("loadtest", "radius", "--transport", "radsec", "--target", target,
                    "--tls-cert", nas.chainFile().toString(), "--tls-key", nas.keyFile().toString(),
                    "--tls-ca", pki.resolve("ca.pem").toString(), "--retries", "0", "--timeout", "10000",
                    "--sources", "4", "--count", "1000", "--seed", "5", "--profile", "corp-wifi",
                    "--concurrency", "16", "--requests", "3000", "--quiet");
            assertEquals(0, radsec.status, radsec.out);
            assertTrue(radsec.out.contains("result: OK"), radsec.out);
            assertEveryClassAnswered(radsec.out);
            assertEquals(4, g.radius().orElseThrow().radsec().orElseThrow().stats().established());

            Run retries = run("loadtest", "radius", "--transport", "radsec", "--target", target,
                    "--tls-cert", nas.chainFile().toString(), "--tls-key", nas.keyFile().toString(),
                    "--tls-ca", pki.resolve("ca.pem").toString(), "--count", "10", "--concurrency", "1",
                    "--requests", "1", "--quiet");
            assertEquals(2, retries.status, "the default --retries 2 is refused over RadSec: " + retries.out);
            Run noFiles = run("loadtest", "radius", "--transport", "radsec", "--target", target, "--retries", "0",
                    "--count", "10", "--concurrency", "1", "--requests", "1", "--quiet");
            assertEquals(2, noFiles.status, noFiles.out);
        }
    }

    /** A CA like an Intune SCEP issuing CA: its certificate and key as PEM files ca.pem / ca.key in {@code into}. */
    static Path[] deviceCa(Path into, String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name, k.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        var cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
        Files.createDirectories(into);
        Path ca = into.resolve("ca.pem");
        Path key = into.resolve("ca.key");
        Files.writeString(ca, pem(cert));
        Files.writeString(key, pem(new JcaPKCS8Generator(k.getPrivate(), null)));
        return new Path[]{ca, key};
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    private static long count(String report, String key) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(key) + "=(\\d+)").matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void eapTlsLoad_fullAndResumedHandshakes_everyConversationVerified() throws Exception {
        Path[] ca = deviceCa(dir.resolve("mdm"), "Loadgen Intune SCEP CA");
        Path[] foreign = deviceCa(dir.resolve("foreign"), "Someone else's CA");
        Properties p = new Properties();
        p.setProperty("nacgw.radius.bindAddress", "127.0.0.1");
        p.setProperty("nacgw.radius.authPort", "0");
        p.setProperty("nacgw.radius.acctPort", "0");
        p.setProperty("nacgw.radius.clients.localhost.secrets", SECRET);
        p.setProperty("nacgw.radius.eap.enabled", "true");
        p.setProperty("nacgw.radius.eap.tls.trustedCaFiles", ca[0].toString());
        p.setProperty("nacgw.api.enabled", "false");
        p.setProperty("nacgw.metrics.port", "0");
        NacgwConfig config = new ConfigLoader().load(null, Map.of(), p).withDataDir(dir.resolve("data"));
        SyntheticDevices set = new SyntheticDevices(5, 200, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            List<io.nacgw.core.device.DeviceRecord> all = new ArrayList<>();
            for (int i = 0; i < set.count(); i++) {
                all.add(set.device(i));
            }
            g.compliance().upsertAll(all);
            Path secret = dir.resolve("secret");
            Files.writeString(secret, SECRET + "\n");
            String target = "127.0.0.1:" + g.radius().orElseThrow().authAddress().getPort();
            String[] common = {"loadtest", "radius", "--target", target, "--secret-file", secret.toString(),
                "--count", "200", "--seed", "5", "--profile", "corp-wifi", "--shape", "eap-tls",
                "--eap-ca", ca[0].toString(), "--eap-ca-key", ca[1].toString(), "--eap-devices", "40",
                "--concurrency", "4", "--quiet", "--timeout", "5000"};

            for (String version : new String[]{"1.2", "1.3"}) {
                Run full = run(concat(common, "--eap-tls", version, "--requests", "60"));
                assertEquals(0, full.status, full.out);
                assertTrue(full.out.contains("result: OK"), full.out);
                assertTrue(full.out.contains("TLS " + version + ", full handshakes"), full.out);
                assertTrue(count(full.out, "compliant accept:100 full") > 0, full.out);
                assertTrue(count(full.out, "noncompliant accept:999 full") > 0, full.out);
                assertEquals(0, count(full.out, "mppe_keys_mismatch"), full.out);
                // issue #13: over real UDP sockets no round of any conversation waits for a retransmission
                assertNoRetransmission(full.out);
            }

            // each device's first conversation is full (nothing to offer), every later one must resume
            Run resumed = run(concat(common, "--eap-resume", "--requests", "120"));
            assertEquals(0, resumed.status, resumed.out);
            long fullOnes = sum(resumed.out, " full");
            assertTrue(fullOnes >= 1 && fullOnes <= 40, "at most one full handshake per device\n" + resumed.out);
            assertEquals(120 - fullOnes, sum(resumed.out, " resumed"), resumed.out);
            assertEquals(0, count(resumed.out, "not_resumed"), resumed.out);
            assertNoRetransmission(resumed.out);

            // the same by session tickets: each device's first conversation gets a ticket, every later one resumes by it
            long byTicket = g.radius().orElseThrow().eapStats().tlsResumedByTicket();
            Run tickets = run(concat(common, "--eap-resume", "--eap-tickets", "--requests", "120"));
            assertEquals(0, tickets.status, tickets.out);
            assertTrue(tickets.out.contains("resumed handshakes, by session ticket"), tickets.out);
            long fullWithTicket = sum(tickets.out, " full");
            assertTrue(fullWithTicket >= 1 && fullWithTicket <= 40, "at most one full handshake per device\n" + tickets.out);
            assertEquals(120 - fullWithTicket, sum(tickets.out, " resumed"), tickets.out);
            assertEquals(0, count(tickets.out, "not_resumed"), tickets.out);
            assertEquals(byTicket + 120 - fullWithTicket, g.radius().orElseThrow().eapStats().tlsResumedByTicket(),
                    "the gateway resumed them by ticket");

            Run wrongCa = run("loadtest", "radius", "--target", target, "--secret-file", secret.toString(),
                    "--count", "200", "--seed", "5", "--shape", "eap-tls", "--eap-ca", foreign[0].toString(),
                    "--eap-ca-key", foreign[1].toString(), "--eap-devices", "10", "--concurrency", "2",
                    "--requests", "10", "--quiet");
            assertEquals(1, wrongCa.status, wrongCa.out);
            assertEquals(10, count(wrongCa.out, "verdict_mismatch") + count(wrongCa.out, "eap_protocol"), wrongCa.out);
            assertTrue(wrongCa.out.contains("throughput: 0 correct"), wrongCa.out);

            Path wrong = dir.resolve("wrong-secret");
            Files.writeString(wrong, "not-the-secret\n");
            Run badSecret = run(concat(new String[]{"loadtest", "radius", "--target", target, "--secret-file",
                wrong.toString(), "--count", "200", "--seed", "5", "--shape", "eap-tls", "--eap-ca", ca[0].toString(),
                "--eap-ca-key", ca[1].toString(), "--eap-devices", "5", "--concurrency", "1", "--requests", "3",
                "--quiet", "--timeout", "300", "--retries", "0"}));
            assertEquals(3, badSecret.status, "the gateway drops requests with a wrong Message-Authenticator\n" + badSecret.out);
            assertEquals(3, count(badSecret.out, "timeout"), badSecret.out);
        }
    }

    /**
     * Every request of the report was answered at its first transmission (no drop answered only after the load
     * generator's retransmission timer: the "sent incl. N retransmissions" of its requests line is 0).
     */
    private static void assertNoRetransmission(String report) {
        Matcher m = Pattern.compile("\\((\\d+) sent incl\\. (\\d+) retransmissions").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Long.parseLong(m.group(1)) > 0, report);
        assertEquals(0, Long.parseLong(m.group(2)), "a request was dropped and answered only when retransmitted\n" + report);
    }

    /** The sum of the verdict counts whose key ends with {@code suffix}. */
    private static long sum(String report, String suffix) {
        String line = report.lines().filter(l -> l.startsWith("verdicts:")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("  ([^=]+)=(\\d+)").matcher(line);
        long n = 0;
        while (m.find()) {
            if (m.group(1).endsWith(suffix)) {
                n += Long.parseLong(m.group(2));
            }
        }
        return n;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
