package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nacgw.core.testing.Needs;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files nacgw writes, read by the tool admins use: openssl x509/verify/crl/pkcs12/pkey/s_client. */
final class OpensslInteropTest {
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final char[] PASSWORD = "interop pass".toCharArray();
    private static String openssl;

    @TempDir
    Path tmp;

    private CertificateAuthority ca;
    private IssuedClient partner;

    /** Output and exit code of one openssl run. */
    private record Run(int exit, String out) {
    }

    @BeforeAll
    static void findOpenssl() {
        openssl = Needs.executable("openssl", "/usr/bin/openssl", "/usr/local/bin/openssl").toString();
    }

    @BeforeEach
    void pki() {
        ca = CertificateAuthority.open(tmp.resolve("pki"), Clock.fixed(NOW, ZoneOffset.UTC));
        ca.init(ServerNames.of(List.of("nacgw.example.org", "localhost", "127.0.0.1", "::1")), KeyType.ECDSA_P256,
                false);
        partner = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
    }

    private static Run openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("openssl " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out.join());
    }

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void x509Text_showsCaServerAndClientProfiles() throws Exception {
        PkiLayout l = ca.layout();

        Run caText = openssl("x509", "-in", s(l.caCertificate()), "-text", "-noout");
        Run server = openssl("x509", "-in", s(l.serverCertificate()), "-text", "-noout");
        Run client = openssl("x509", "-in", s(partner.certificateFile()), "-text", "-noout");

        assertEquals(0, caText.exit(), caText.out());
        assertTrue(caText.out().contains("CA:TRUE, pathlen:0"), caText.out());
        assertTrue(caText.out().contains("Certificate Sign, CRL Sign"), caText.out());
        assertTrue(caText.out().contains("ecdsa-with-SHA256"), caText.out());
        assertEquals(0, server.exit(), server.out());
        assertTrue(server.out().contains("DNS:nacgw.example.org, DNS:localhost, IP Address:127.0.0.1, "
                + "IP Address:0:0:0:0:0:0:0:1"), server.out());
        assertTrue(server.out().contains("TLS Web Server Authentication"), server.out());
        assertEquals(0, client.exit(), client.out());
        assertTrue(client.out().contains("URI:urn:nacgw:role:partner"), client.out());
        assertTrue(client.out().contains("TLS Web Client Authentication"), client.out());
        assertTrue(client.out().contains("CN = ise1"), client.out());
        assertTrue(client.out().toUpperCase(Locale.ROOT).replace(":", "")
                .contains(partner.entry().serialHex()), client.out());
    }

    @Test
    void verify_clientAndServerChainToCaForTheirPurpose() throws Exception {
        PkiLayout l = ca.layout();

        Run client = openssl("verify", "-purpose", "sslclient", "-CAfile", s(l.caCertificate()),
                s(partner.certificateFile()));
        Run server = openssl("verify", "-purpose", "sslserver", "-CAfile", s(l.caCertificate()),
                s(l.serverCertificate()));
        Run clientAsServer = openssl("verify", "-purpose", "sslserver", "-CAfile", s(l.caCertificate()),
                s(partner.certificateFile()));

        assertEquals(0, client.exit(), client.out());
        assertTrue(client.out().contains(partner.certificateFile() + ": OK"), client.out());
        assertEquals(0, server.exit(), server.out());
        assertNotEquals(0, clientAsServer.exit(), clientAsServer.out());
    }

    @Test
    void verifyWithCrl_revokedIsReportedOthersPass() throws Exception {
        IssuedClient other = ca.issueClient("ise2", Role.PARTNER, 30, PASSWORD);
        ca.revoke(partner.entry().serial());
        PkiLayout l = ca.layout();

        Run revoked = openssl("verify", "-crl_check", "-CAfile", s(l.caCertificate()), "-CRLfile", s(l.crl()),
                s(partner.certificateFile()));
        Run fine = openssl("verify", "-crl_check", "-CAfile", s(l.caCertificate()), "-CRLfile", s(l.crl()),
                s(other.certificateFile()));

        assertNotEquals(0, revoked.exit(), revoked.out());
        assertTrue(revoked.out().contains("certificate revoked"), revoked.out());
        assertEquals(0, fine.exit(), fine.out());
    }

    @Test
    void crlText_showsNumberAndRevokedSerialAndVerifies() throws Exception {
        ca.revoke(partner.entry().serial());
        PkiLayout l = ca.layout();

        Run text = openssl("crl", "-in", s(l.crl()), "-text", "-noout");
        Run verify = openssl("crl", "-in", s(l.crl()), "-CAfile", s(l.caCertificate()), "-noout");

        assertEquals(0, text.exit(), text.out());
        assertTrue(text.out().contains("X509v3 CRL Number"), text.out());
        assertTrue(text.out().contains("Next Update"), text.out());
        assertTrue(text.out().toUpperCase(Locale.ROOT).contains("SERIAL NUMBER: "
                + (partner.entry().serialHex().length() % 2 == 1 ? "0" : "") + partner.entry().serialHex()),
                text.out());
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains("verify OK"), verify.out());
    }

    @Test
    void pkcs12AndKey_readableByOpensslAndMatchCertificate() throws Exception {
        Path pw = tmp.resolve("pw.txt");
        Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pw, new String(PASSWORD) + "\n");

        Run p12 = openssl("pkcs12", "-in", s(partner.pkcs12File()), "-passin", "file:" + pw, "-nokeys");
        Run wrong = openssl("pkcs12", "-in", s(partner.pkcs12File()), "-passin", "pass:wrong", "-nokeys");
        Run keyPub = openssl("pkey", "-in", s(partner.keyFile()), "-pubout");
        Run certPub = openssl("x509", "-in", s(partner.certificateFile()), "-noout", "-pubkey");
        Run check = openssl("pkey", "-in", s(partner.keyFile()), "-check", "-noout");

        assertEquals(0, p12.exit(), p12.out());
        assertTrue(p12.out().contains("CN = ise1") || p12.out().contains("CN=ise1"), p12.out());
        assertTrue(p12.out().contains("BEGIN CERTIFICATE"), p12.out());
        assertNotEquals(0, wrong.exit(), wrong.out());
        assertEquals(0, keyPub.exit(), keyPub.out());
        assertEquals(certPub.out(), keyPub.out());
        assertEquals(0, check.exit(), check.out());
    }

    /** A JDK server on a loopback socket (port 0) built from the pki files; openssl s_client is the NAC appliance. */
    private Run sClientAgainstServer(IssuedClient presented) throws Exception {
        ServerTls tls = TlsContexts.server(ServerTlsConfig.fromPki(ca.layout(), ClientAuth.REQUIRE)
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        try (SSLServerSocket server = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSSLParameters(tls.sslParameters());
            CompletableFuture<Optional<Role>> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(30_000);
                    s.startHandshake();
                    Optional<Role> role = Roles.of(s.getSession());
                    OutputStream out = s.getOutputStream();
                    out.write(("role=" + role.map(Role::name).orElse("none") + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return role;
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
            Run r = openssl("s_client", "-connect", "127.0.0.1:" + server.getLocalPort(), "-servername", "localhost",
                    "-CAfile", s(ca.layout().caCertificate()), "-verify_return_error", "-verify_hostname", "localhost",
                    "-cert", s(presented.certificateFile()), "-key", s(presented.keyFile()), "-ign_eof");
            served.get(60, TimeUnit.SECONDS);
            return r;
        }
    }

    @Test
    void sClient_withIssuedCertificate_handshakesAndServerReadsRole() throws Exception {
        Run r = sClientAgainstServer(partner);

        assertTrue(r.out().contains("role=PARTNER"), r.out());
        assertTrue(r.out().contains("Verify return code: 0 (ok)"), r.out());
        assertTrue(r.out().contains("TLSv1.3"), r.out());
    }

    @Test
    void sClient_withRevokedCertificate_isRefused() throws Exception {
        ca.revoke(partner.entry().serial());

        Run r = sClientAgainstServer(partner);

        assertTrue(!r.out().contains("role="), r.out());
        assertTrue(r.out().contains("alert"), r.out());
    }
}
