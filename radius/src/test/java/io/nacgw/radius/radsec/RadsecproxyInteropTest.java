package io.nacgw.radius.radsec;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.Role;
import io.nacgw.certs.ServerNames;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.Radclient;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.nacgw.radius.radsec.RadSecFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * radsecproxy (Debian radsecproxy) as the NAS-side RadSec client, FreeRADIUS's radclient as the NAS behind it:
 * {@code radclient → radsecproxy (UDP) → nacgw (RadSec)}. A third-party TLS stack and RADIUS/TLS implementation
 * checks our framing, TLS and signatures; certificates from another CA and revoked ones are refused. Fails instead of
 * skipping when {@code CI=true}.
 */
final class RadsecproxyInteropTest {
    private static final String RADCLIENT = Radclient.BINARY;
    private static final String UDP_SECRET = "proxy-udp-secret";

    @TempDir
    Path dir;

    private static void needTools() {
        Needs.executable("freeradius-utils", RADCLIENT);
        Needs.executable("radsecproxy", "/usr/sbin/radsecproxy", "/usr/bin/radsecproxy");
    }

    /** A radsecproxy listening on a free UDP port on 127.0.0.1 and sending everything to nacgw over TLS. */
    private final class Proxy implements AutoCloseable {
        final int port;
        final Process process;
        final Path log;

        Proxy(RadSecFixture f, Path certificate, Path key, boolean statusServer) throws IOException {
            Path binary = Needs.executable("radsecproxy", "/usr/sbin/radsecproxy", "/usr/bin/radsecproxy");
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            Path conf = Files.createTempFile(dir, "radsecproxy", ".conf");
            log = dir.resolve("radsecproxy-" + port + ".log");
            Files.writeString(conf, String.join("\n",
                    "ListenUDP 127.0.0.1:" + port,
                    "LogLevel 4",
                    "LogDestination file://" + log,
                    "tls nacgw {",
                    "    CACertificateFile " + f.ca.layout().caCertificate(),
                    "    CertificateFile " + certificate,
                    "    CertificateKeyFile " + key,
                    "}",
                    "client nas {",
                    "    host 127.0.0.1",
                    "    type udp",
                    "    secret " + UDP_SECRET,
                    "}",
                    "server nacgw {",
                    "    host 127.0.0.1",
                    "    port " + f.radsec.address().getPort(),
                    "    type tls",
                    "    tls nacgw",
                    "    secret radsec",
                    "    StatusServer " + (statusServer ? "on" : "off"),
                    "}",
                    "realm * {",
                    "    server nacgw",
                    "    accountingServer nacgw",
                    "}",
                    ""));
            process = new ProcessBuilder(binary.toString(), "-f", "-c", conf.toString(), "-i",
                    dir.resolve("radsecproxy-" + port + ".pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("radsecproxy-" + port + ".out").toFile())
                    .start();
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Radclient.Run radclient(int port, String command, String attributes, int timeoutSeconds, int retries)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(RADCLIENT, "-x", "-t", String.valueOf(timeoutSeconds), "-r",
                String.valueOf(retries), "127.0.0.1:" + port, command, UDP_SECRET));
        return Radclient.run(cmd, attributes, 120);
    }

    private static String mab(String mac) {
        String hex = mac.replace(":", "");
        return "User-Name = \"" + hex + "\", User-Password = \"" + hex + "\", Service-Type = Call-Check, "
                + "Calling-Station-Id = \"" + mac.toUpperCase(java.util.Locale.ROOT).replace(':', '-') + "\", "
                + "NAS-IP-Address = 192.0.2.10, Message-Authenticator = 0x00\n";
    }

    /** radsecproxy connects lazily: the first request may wait for the TLS connection; radclient retries. */
    private static Radclient.Run mabThroughProxy(Proxy p, String mac) throws IOException, InterruptedException {
        return radclient(p.port, "auth", mab(mac), 10, 3);
    }

    @Test
    void mab_acceptWithAttributes_reject_accounting_andStatusServer_throughRadsecproxy() throws Exception {
        needTools();
        try (RadSecFixture f = new RadSecFixture(dir);
             Proxy p = new Proxy(f, f.nasCert.chainFile(), f.nasCert.keyFile(), true)) {
            Radclient.Run accept = mabThroughProxy(p, TestWorld.COMPLIANT.toString());
            assertTrue(accept.received("Access-Accept"), accept.output() + "\n" + p.log());
            assertTrue(accept.output().contains("Tunnel-Private-Group-Id:0 = \"100\"")
                    || accept.output().contains("Tunnel-Private-Group-Id = \"100\""), accept.output());
            assertTrue(accept.output().contains("Filter-Id = \"corp-acl\""), accept.output());

            Radclient.Run reject = mabThroughProxy(p, TestWorld.UNKNOWN.toString());
            assertTrue(reject.received("Access-Reject"), reject.output());

            Radclient.Run acct = radclient(p.port, "acct", "Acct-Status-Type = Start, Acct-Session-Id = \"rsp-1\", "
                    + "User-Name = \"" + TestWorld.COMPLIANT.toHex12() + "\", Calling-Station-Id = \""
                    + TestWorld.COMPLIANT + "\", NAS-IP-Address = 192.0.2.10\n", 10, 3);
            assertTrue(acct.received("Accounting-Response"), acct.output() + "\n" + p.log());
            assertTrue(f.world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).stream()
                    .anyMatch(s -> "rsp-1".equals(s.acctSessionId())));

            // radsecproxy's own keep-alive (StatusServer on: after 25 s without a reply) reaches nacgw and is
            // answered: radsecproxy would mark the server dead and close otherwise
            await("radsecproxy's Status-Server", java.time.Duration.ofSeconds(90),
                    () -> f.radius.stats().statusServer() >= 1);
            Radclient.Run after = mabThroughProxy(p, TestWorld.COMPLIANT.toString());
            assertTrue(after.received("Access-Accept"), after.output() + "\n" + p.log());
            assertEquals(1, f.radsec.stats().established(), "the same connection, kept alive");
        }
    }

    @Test
    void radsecproxyWithOtherCaOrRevokedCertificate_isRefused_andItsNasGetsNoAnswer() throws Exception {
        needTools();
        try (RadSecFixture f = new RadSecFixture(dir)) {
            CertificateAuthority other = CertificateAuthority.open(dir.resolve("other-pki"));
            other.init(ServerNames.defaults(), KeyType.ECDSA_P256, false);
            IssuedClient foreign = other.issueClient("switch", Role.NAS, 30, "x".toCharArray());
            try (Proxy p = new Proxy(f, foreign.chainFile(), foreign.keyFile(), false)) {
                Radclient.Run r = radclient(p.port, "auth", mab(TestWorld.COMPLIANT.toString()), 2, 1);
                assertFalse(r.received("Access-Accept"), r.output());
                await("unknown CA", () -> f.radsec.stats().refusals(Refusal.UNKNOWN_CA) >= 1);
            }
            f.ca.revokeByName("switch");
            assertTrue(f.tls.reloadIfChanged());
            try (Proxy p = new Proxy(f, f.nasCert.chainFile(), f.nasCert.keyFile(), false)) {
                Radclient.Run r = radclient(p.port, "auth", mab(TestWorld.COMPLIANT.toString()), 2, 1);
                assertFalse(r.received("Access-Accept"), r.output());
                await("revoked", () -> f.radsec.stats().refusals(Refusal.REVOKED) >= 1);
            }
            assertEquals(0, f.radsec.stats().established());
            assertEquals(0, f.radius.stats().accepts());
        }
    }
}
