package io.nacgw.radius.radsec;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.Role;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.TlsContexts;
import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.Replies;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadSec;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.proxy.RadSecClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.nacgw.radius.radsec.RadSecFixture.WAIT;
import static io.nacgw.radius.radsec.RadSecFixture.accessRequest;
import static io.nacgw.radius.radsec.RadSecFixture.await;
import static io.nacgw.radius.radsec.RadSecFixture.mab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RadSec server end to end over loopback TLS, with {@link RadSecClient} as the NAS. */
final class RadSecServerTest {
    @TempDir
    Path dir;

    @Test
    void mab_compliantIsAccepted_withTheProfileAttributes_unknownIsRejected() {
        try (RadSecFixture f = new RadSecFixture(dir); RadSecClient c = f.connect()) {
            byte[] accept = accessRequest(c, TestWorld.COMPLIANT);
            assertEquals(RadiusCode.ACCESS_ACCEPT, accept[0] & 0xFF);
            assertEquals(AttributeType.MESSAGE_AUTHENTICATOR, accept[20] & 0xFF, "Message-Authenticator first");
            Attribute vlan = Replies.first(accept, AttributeType.TUNNEL_PRIVATE_GROUP_ID);
            assertNotNull(vlan, "VLAN of profile corp");
            assertTrue(new String(vlan.value(), StandardCharsets.UTF_8).endsWith("100"));
            byte[] reject = accessRequest(c, TestWorld.UNKNOWN);
            assertEquals(RadiusCode.ACCESS_REJECT, reject[0] & 0xFF);
            byte[] noncompliant = accessRequest(c, TestWorld.NONCOMPLIANT);
            assertEquals(RadiusCode.ACCESS_REJECT, noncompliant[0] & 0xFF);
            await("audit lines", () -> f.world.audit.size() >= 3);
            assertTrue(f.world.audit.get(0).contains("\"nas\":\"switch\""), f.world.audit.get(0));
            RadSecStats s = f.radsec.stats();
            assertEquals(1, s.established());
            assertEquals(3, s.packets());
            assertEquals(1, f.radius.stats().accepts());
            assertEquals(2, f.radius.stats().rejects());
        }
    }

    @Test
    void oneConnection_carriesPipelinedAuthAccountingAndStatusServer() {
        try (RadSecFixture f = new RadSecFixture(dir); RadSecClient c = f.connect()) {
            List<CompletableFuture<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // more than 256 ids in total over the test, never 256 at once
                MacAddress mac = i % 2 == 0 ? TestWorld.COMPLIANT : TestWorld.UNKNOWN;
                answers.add(c.send(RadiusCode.ACCESS_REQUEST, mab(mac), WAIT));
            }
            CompletableFuture<byte[]> status = c.statusServer(WAIT);
            CompletableFuture<byte[]> acct = c.send(RadiusCode.ACCOUNTING_REQUEST, List.of(
                    Attribute.integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_START),
                    Attribute.text(AttributeType.ACCT_SESSION_ID, "sess-1"),
                    Attribute.text(AttributeType.USER_NAME, TestWorld.COMPLIANT.toHex12()),
                    Attribute.text(AttributeType.CALLING_STATION_ID, TestWorld.COMPLIANT.toString())), WAIT);
            for (int i = 0; i < answers.size(); i++) {
                int expected = i % 2 == 0 ? RadiusCode.ACCESS_ACCEPT : RadiusCode.ACCESS_REJECT;
                assertEquals(expected, answers.get(i).join()[0] & 0xFF, "request " + i);
            }
            assertEquals(RadiusCode.ACCESS_ACCEPT, status.join()[0] & 0xFF, "Status-Server answered on RadSec");
            assertEquals(RadiusCode.ACCOUNTING_RESPONSE, acct.join()[0] & 0xFF);
            assertEquals(1, f.radius.stats().accountingStored());
            assertEquals(1, f.radius.stats().statusServer());
            assertTrue(f.world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).stream()
                    .anyMatch(x -> "sess-1".equals(x.acctSessionId())), "the accounting start is in the session table");
        }
    }

    @Test
    void badLengthField_closesThatConnection_othersKeepBeingAnswered() {
        try (RadSecFixture f = new RadSecFixture(dir); RadSecClient good = f.connect()) {
            for (int length : new int[] {19, 4097, 0}) {
                RadSecClient bad = f.connect();
                bad.writeRaw(new byte[] {1, 7, (byte) (length >> 8), (byte) length});
                bad.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
                assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(good, TestWorld.COMPLIANT)[0] & 0xFF);
            }
            await("bad lengths counted", () -> f.radsec.stats().closes(CloseReason.BAD_LENGTH) == 3);
        }
    }

    @Test
    void garbageAndMalformedPackets_closeTheConnection_countedAsProtocolViolations() {
        try (RadSecFixture f = new RadSecFixture(dir); RadSecClient good = f.connect()) {
            byte[] unknownCode = new byte[20];
            unknownCode[0] = 99;
            unknownCode[3] = 20;
            byte[] badAttribute = new byte[24];
            badAttribute[0] = 1;
            badAttribute[3] = 24;
            badAttribute[20] = 1;
            badAttribute[21] = 9; // runs past the packet
            byte[] forged = io.nacgw.radius.codec.RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, 1,
                    mab(TestWorld.COMPLIANT), io.nacgw.core.secret.Secret.of("not-radsec"), new java.util.Random(1));
            for (byte[] packet : List.of(unknownCode, badAttribute, forged)) {
                RadSecClient bad = f.connect();
                bad.writeRaw(packet);
                bad.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
            }
            // a valid request behind a bad one in the same read is not processed
            byte[] valid = io.nacgw.radius.codec.RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, 2,
                    mab(TestWorld.COMPLIANT), RadSec.SECRET, new java.util.Random(2));
            byte[] both = java.util.Arrays.copyOf(unknownCode, unknownCode.length + valid.length);
            System.arraycopy(valid, 0, both, unknownCode.length, valid.length);
            RadSecClient bad = f.connect();
            bad.writeRaw(both);
            bad.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
            assertEquals(0, f.radius.stats().accepts(), "nothing after the violation was decided");
            assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(good, TestWorld.COMPLIANT)[0] & 0xFF);
            await("violations counted", () -> f.radsec.stats().closes(CloseReason.PROTOCOL_VIOLATION) == 4);
            assertEquals(2, f.radius.stats().drops(DropReason.CODE_NOT_ALLOWED));
            assertEquals(1, f.radius.stats().drops(DropReason.MALFORMED));
            assertEquals(1, f.radius.stats().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR));
        }
    }

    @Test
    void partialPacket_thenClose_isCountedAsTruncated() {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            RadSecClient c = f.connect();
            c.writeRaw(new byte[] {1, 7, 0, 40, 1, 2, 3}).syncUninterruptibly(); // 7 of 40 bytes
            await("the server read the partial packet", () -> f.radsec.stats().established() == 1);
            c.close();
            await("truncated counted", () -> f.radsec.stats().truncated() == 1);
            assertEquals(0, f.radsec.stats().packets());
        }
    }

    @Test
    void idleConnection_isClosedAfterIdleTimeout() {
        // 2 s, not less: on a loaded machine the handshake and the first answer alone can take a few hundred ms
        RadSecSettings s = new RadSecSettings(true, "127.0.0.1", 0, Duration.ofSeconds(2), Duration.ofSeconds(10), 8);
        try (RadSecFixture f = new RadSecFixture(dir, s, List.of(TestWorld.switchClient("192.0.2.1").build()),
                Clock.systemUTC()); RadSecClient c = f.connect()) {
            assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(c, TestWorld.COMPLIANT)[0] & 0xFF);
            c.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
            assertEquals(1, f.radsec.stats().closes(CloseReason.IDLE));
        }
    }

    @Test
    void slowlorisHandshake_isClosedAtTheHandshakeTimeout() throws Exception {
        RadSecSettings s = new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5), Duration.ofMillis(300), 8);
        try (RadSecFixture f = new RadSecFixture(dir, s, List.of(TestWorld.switchClient("192.0.2.1").build()),
                Clock.systemUTC()); Socket raw = new Socket()) {
            raw.connect(f.address(), 10_000);
            raw.getOutputStream().write(0x16); // the first byte of a TLS record, then nothing
            raw.setSoTimeout((int) WAIT.toMillis());
            InputStream in = raw.getInputStream();
            while (in.read() >= 0) {
                // an alert perhaps, then end of stream
            }
            await("timeout counted", () -> f.radsec.stats().refusals(Refusal.HANDSHAKE_TIMEOUT) == 1);
        }
    }

    @Test
    void idleConnectionFlood_beyondMaxConnections_isRefused_establishedNasKeepsBeingAnswered() throws Exception {
        RadSecSettings s = new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5), Duration.ofSeconds(2), 3);
        try (RadSecFixture f = new RadSecFixture(dir, s, List.of(TestWorld.switchClient("192.0.2.1").build()),
                Clock.systemUTC()); RadSecClient c = f.connect()) {
            List<Socket> flood = new ArrayList<>();
            try {
                connectRaw(f.address(), 10, flood);
                await("refusals counted", () -> f.radsec.stats().refusals(Refusal.MAX_CONNECTIONS) == 8);
                assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(c, TestWorld.COMPLIANT)[0] & 0xFF);
                // the two admitted idle sockets never handshake: they are closed by the handshake timeout
                await("handshake timeouts", () -> f.radsec.stats().refusals(Refusal.HANDSHAKE_TIMEOUT) == 2);
                await("slots freed", () -> f.radsec.stats().open() == 1);
                try (RadSecClient late = f.connect()) {
                    assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(late, TestWorld.COMPLIANT)[0] & 0xFF);
                }
            } finally {
                for (Socket raw : flood) {
                    raw.close();
                }
            }
        }
    }

    @Test
    void connectionsFromOneAddress_beyondItsLimit_areRefused_otherAddressesAndTheNasStillServed() throws Exception {
        RadSecSettings s = new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5), Duration.ofSeconds(2), 16, 2, 128, 2048);
        try (RadSecFixture f = new RadSecFixture(dir, s, List.of(TestWorld.switchClient("192.0.2.1").build()),
                Clock.systemUTC()); RadSecClient c = f.connect()) {
            List<Socket> flood = new ArrayList<>();
            try {
                connectRaw(f.address(), 5, flood);
                await("refusals counted", () -> f.radsec.stats().refusals(Refusal.MAX_CONNECTIONS_PER_ADDRESS) == 4);
                assertEquals(0, f.radsec.stats().refusals(Refusal.MAX_CONNECTIONS));
                Socket other = new Socket();
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(f.address(), 10_000);
                flood.add(other);
                await("the other address admitted", () -> f.radsec.stats().open() == 3);
                assertEquals(4, f.radsec.stats().refusals(Refusal.MAX_CONNECTIONS_PER_ADDRESS));
                assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(c, TestWorld.COMPLIANT)[0] & 0xFF);
            } finally {
                for (Socket raw : flood) {
                    raw.close();
                }
            }
            await("the idle sockets' slots freed", () -> f.radsec.stats().open() == 1);
            try (RadSecClient again = f.connect()) {
                assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(again, TestWorld.COMPLIANT)[0] & 0xFF,
                        "the address's count went down as its connections closed");
            }
        }
    }

    /** Opens {@code n} plain TCP connections to {@code to} (no TLS), adding each to {@code into}. */
    private static void connectRaw(InetSocketAddress to, int n, List<Socket> into) throws Exception {
        for (int i = 0; i < n; i++) {
            Socket raw = new Socket();
            raw.connect(to, 10_000);
            into.add(raw);
        }
    }

    @Test
    void perAddressLimit_aboveTheTotal_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 4, 5, 128, 2048));
        assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 4, 0, 128, 2048));
    }

    @Test
    void certificates_otherCaRevokedPartnerUnknownNameAndNone_areRefused_andCounted() throws Exception {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            CertificateAuthority other = CertificateAuthority.open(dir.resolve("other-pki"));
            other.init(ServerNames.defaults(), KeyType.ECDSA_P256, false);
            IssuedClient foreign = other.issueClient("switch", Role.NAS, 30, "x".toCharArray());
            assertRefused(f, TlsContexts.client(List.of(f.ca.layout().caCertificate()), foreign.chainFile(),
                    foreign.keyFile()));
            await("unknown CA", () -> f.radsec.stats().refusals(Refusal.UNKNOWN_CA) == 1);

            IssuedClient partner = f.ca.issueClient("switch-partner", Role.PARTNER, 30, "x".toCharArray());
            assertRefused(f, f.clientTls(partner));
            await("wrong role", () -> f.radsec.stats().refusals(Refusal.WRONG_ROLE) == 1);

            IssuedClient stranger = f.ca.issueClient("switch9", Role.NAS, 30, "x".toCharArray());
            assertRefused(f, f.clientTls(stranger));
            await("unknown NAS", () -> f.radsec.stats().refusals(Refusal.UNKNOWN_NAS) == 1);

            assertRefused(f, TlsContexts.client(List.of(f.ca.layout().caCertificate())));
            await("no certificate", () -> f.radsec.stats().refusals(Refusal.NO_CERTIFICATE) == 1);

            RadSecClient before = f.connect();
            f.ca.revokeByName("switch");
            assertTrue(f.tls.reloadIfChanged(), "crl.pem changed");
            assertEquals(1, f.radsec.closeUntrusted(f.tls::stillTrusts), "the open connection of the revoked NAS");
            before.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
            assertRefused(f, f.clientTls(f.nasCert));
            await("revoked", () -> f.radsec.stats().refusals(Refusal.REVOKED) == 1);
            assertTrue(f.radsec.stats().tlsFailures("certificate_revoked") >= 1, f.radsec.stats().tlsFailures().toString());
            assertTrue(f.radsec.stats().tlsFailures("certificate_unknown_ca") >= 1, f.radsec.stats().tlsFailures().toString());
            assertEquals(1, f.radsec.stats().closes(CloseReason.CERTIFICATE_UNTRUSTED));
        }
    }

    @Test
    void expiredCertificate_isRefused() {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        try (RadSecFixture f = new RadSecFixture(dir, RadSecFixture.testSettings(),
                List.of(TestWorld.switchClient("192.0.2.1").build()), later)) {
            assertRefused(f, f.clientTls(f.nasCert));
            await("expired", () -> f.radsec.stats().refusals(Refusal.EXPIRED) == 1);
        }
    }

    @Test
    void certificateName_mapsACertificateToAClientOfAnotherName_andReloadRemovingItClosesTheConnection() {
        try (RadSecFixture f = new RadSecFixture(dir, RadSecFixture.testSettings(),
                List.of(TestWorld.switchClient("192.0.2.1").build()), Clock.systemUTC())) {
            f.radius.reload(List.of(io.nacgw.radius.NasClient.builder("core-sw", "192.0.2.9", "whatever-secret")
                    .certificateName("switch").profile("guest-wifi").build()));
            RadSecClient c = f.connect();
            byte[] quarantined = accessRequest(c, TestWorld.UNKNOWN); // guest-wifi quarantines unknown devices
            assertEquals(RadiusCode.ACCESS_ACCEPT, quarantined[0] & 0xFF);
            await("audit", () -> !f.world.audit.isEmpty());
            assertTrue(f.world.audit.get(0).contains("\"nas\":\"core-sw\""), f.world.audit.get(0));
            f.radius.reload(List.of(TestWorld.switchClient("192.0.2.1").certificateName("other").build()));
            CompletionException e = assertThrows(CompletionException.class, () -> accessRequest(c, TestWorld.COMPLIANT));
            assertInstanceOf(RadSecClient.RadSecException.class, e.getCause());
            await("closed", () -> !c.isOpen());
            assertEquals(1, f.radsec.stats().closes(CloseReason.CLIENT_REMOVED));
        }
    }

    private static void assertRefused(RadSecFixture f, io.nacgw.certs.ClientTls tls) {
        CompletableFuture<RadSecClient> c = RadSecClient.connect(f.address(), tls, f.group, WAIT);
        RadSecClient client;
        try {
            client = c.join();
        } catch (CompletionException e) {
            return; // refused during the handshake (TLS 1.2 style)
        }
        // TLS 1.3: the client finishes first; the server's verdict closes the connection
        client.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
        assertFalse(client.isOpen());
        assertThrows(CompletionException.class, () -> client.statusServer(WAIT).join());
    }

    @Test
    void settings_badValues_nameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 70000, Duration.ofMinutes(1), Duration.ofSeconds(1), 1));
        assertTrue(e.getMessage().startsWith("radius.radsec.port"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ZERO, Duration.ofSeconds(1), 1));
        assertTrue(e.getMessage().startsWith("radius.radsec.idleTimeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 0));
        assertTrue(e.getMessage().startsWith("radius.radsec.maxConnections"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 4, 4, 257, 2048));
        assertTrue(e.getMessage().startsWith("radius.radsec.maxInFlightPerConnection"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 4, 4, 0, 2048));
        assertTrue(e.getMessage().startsWith("radius.radsec.maxInFlightPerConnection"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RadSecSettings(true, "::", 1, Duration.ofMinutes(1), Duration.ofSeconds(1), 4, 4, 128, 64));
        assertTrue(e.getMessage().startsWith("radius.radsec.maxInFlight "), e.getMessage());
    }

    @Test
    void maxInFlightPerConnectionOne_pipelinedRequests_pauseReadingEachTime_andAreAllAnswered() {
        RadSecSettings s = new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5), Duration.ofSeconds(10), 8, 8,
                1, 1);
        try (RadSecFixture f = new RadSecFixture(dir, s, List.of(TestWorld.switchClient("192.0.2.1").build()),
                Clock.systemUTC()); RadSecClient c = f.connect()) {
            List<CompletableFuture<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) { // written at once: the server reads them as one stream
                answers.add(c.send(RadiusCode.ACCESS_REQUEST, mab(TestWorld.COMPLIANT), WAIT));
            }
            for (CompletableFuture<byte[]> a : answers) {
                assertEquals(RadiusCode.ACCESS_ACCEPT, a.join()[0] & 0xFF);
            }
            // each request filled the connection's single place: reading paused, and the answer resumed it
            assertTrue(f.radsec.stats().readsPaused() >= 50, "paused " + f.radsec.stats().readsPaused());
            await("no request in flight", () -> f.radsec.stats().inFlight() == 0);
            assertEquals(RadiusCode.ACCESS_ACCEPT, accessRequest(c, TestWorld.COMPLIANT)[0] & 0xFF);
        }
    }

    @Test
    void startRadSec_twice_isRefused_andAPortInUse_failsNamingTheKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             RadSecFixture f = new RadSecFixture(dir)) {
            RadSecSettings s = new RadSecSettings(true, "127.0.0.1", taken.getLocalPort(), Duration.ofMinutes(1),
                    Duration.ofSeconds(1), 1);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> f.radius.startRadSec(s, f.tls));
            assertTrue(twice.getMessage().contains("already running"), twice.getMessage());
            try (io.nacgw.radius.bootstrap.RadiusServer other = io.nacgw.radius.bootstrap.RadiusServer.start(TestWorld.settings(),
                    List.of(TestWorld.switchClient("192.0.2.1").build()), f.world.services())) {
                IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> other.startRadSec(s, f.tls));
                assertTrue(inUse.getMessage().contains("radius.radsec.port"), inUse.getMessage());
                assertTrue(other.radsec().isEmpty());
            }
        }
    }
}
