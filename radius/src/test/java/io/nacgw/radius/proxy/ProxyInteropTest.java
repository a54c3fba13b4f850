package io.nacgw.radius.proxy;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.ClientAuth;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ReloadingTlsContext;
import io.nacgw.certs.Role;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.ServerTlsConfig;
import io.nacgw.certs.TlsContexts;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.proxy.RadSecClient;
import io.nacgw.radius.radsec.RadSecServer;
import io.nacgw.radius.radsec.RadSecSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.ProfileRule;
import io.nacgw.radius.Radclient;
import io.nacgw.radius.Radclient.Run;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.eap.EapSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * nacgw as a compliance-enforcing proxy in front of real FreeRADIUS 3.2 home servers, driven by {@code radclient}:
 * user PAP logins checked upstream and decided by the device's compliance, the upstream's Reject and Challenge
 * passed back, failover to the second upstream, Access-Reject when no upstream answers, Status-Server health
 * checks, accounting copied, and a NAS retransmission never becoming a second upstream request. Profiles pick
 * the pool by SSID: corp and guest (pool "main", FreeRADIUS A), failover (a silent upstream, then FreeRADIUS B),
 * dead (two silent upstreams); the client on ::1 names pool "second" (B) itself, which wins over its profile's.
 * Skipped where FreeRADIUS is not installed, except with CI=true.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class ProxyInteropTest {
    @TempDir
    static Path tmp;
    private static TestWorld world;
    private static HomeServer a;
    private static HomeServer b;
    private static HomeServer health;
    /** FreeRADIUS with a RadSec listener, reached with transport radsec (pools "tls" and "tls-failover"). */
    private static HomeServer tlsHome;
    private static RadiusServer server;
    private static RadiusProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        Needs.executable("freeradius-utils", Radclient.BINARY);
        a = new HomeServer("A", tmp.resolve("a"));
        b = new HomeServer("B", tmp.resolve("b"));
        health = new HomeServer("H", tmp.resolve("h"));
        CertificateAuthority tlsCa = CertificateAuthority.open(tmp.resolve("pki-upstream"));
        tlsCa.init(ServerNames.defaults(), KeyType.ECDSA_P256, false); // the server certificate names 127.0.0.1
        tlsHome = new HomeServer("T", tmp.resolve("t"), new HomeServer.TlsFiles(tlsCa.layout().caCertificate(),
                tlsCa.layout().serverCertificate(), tlsCa.layout().serverKey()));
        IssuedClient proxyCert = tlsCa.issueClient("nacgw-proxy", Role.NAS, 30, "unused-p12".toCharArray());
        a.start();
        b.start();
        health.start();
        tlsHome.start();
        world = new TestWorld();
        AccessPolicy policy = AccessPolicy.of(List.of(
                Profile.builder("corp").remediationUrl(TestWorld.REMEDIATION)
                        .allow(new ResponseAttributes("100", "corp-acl", null, 3600, null, null, null)).build(),
                Profile.builder("guest").noncompliant(Verdict.QUARANTINE).unknownDevice(Verdict.QUARANTINE)
                        .quarantine(new ResponseAttributes("999", "quarantine-acl", null, null, null, null, null))
                        .build(),
                Profile.builder("failover").build(),
                Profile.builder("dead").build(),
                Profile.builder("second").build(), Profile.builder("tls").build(),
                Profile.builder("tls-failover").build()), "corp");
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        UpstreamSettings silent1 = UpstreamSettings.udp("silent1", lo, io.nacgw.radius.FreeRadius.freePort(), "x")
                .withTimeout(Duration.ofMillis(300), 2);
        UpstreamSettings silent2 = UpstreamSettings.udp("silent2", lo, io.nacgw.radius.FreeRadius.freePort(), "x")
                .withTimeout(Duration.ofMillis(300), 2);
        UpstreamSettings t = tlsUpstream("t", tlsHome.tlsPort, tlsCa, proxyCert);
        ProxySettings upstreams = ProxySettings.of(List.of(
                PoolSettings.failover("main", List.of(upstream("a", a))).withChecks(false, Duration.ofSeconds(1), 3, 3)
                        .withCopyAccounting(true),
                PoolSettings.failover("second", List.of(upstream("b", b))).withChecks(false, Duration.ofSeconds(1), 3, 3),
                PoolSettings.failover("failover", List.of(silent1, upstream("b", b)))
                        .withChecks(false, Duration.ofSeconds(30), 3, 3),
                PoolSettings.failover("dead", List.of(silent2, UpstreamSettings.udp("silent3", lo, io.nacgw.radius.FreeRadius.freePort(),
                        "x").withTimeout(Duration.ofMillis(300), 2))).withChecks(false,
                        Duration.ofSeconds(30), 3, 3),
                PoolSettings.failover("health", List.of(upstream("h", health)))
                        .withChecks(true, Duration.ofMillis(200), 2, 2),
                PoolSettings.failover("tls", List.of(t))
                        .withChecks(true, Duration.ofMillis(200), 3, 2),
                PoolSettings.failover("tls-failover", List.of(tlsUpstream("refusing", closedTcpPort(), tlsCa, proxyCert)
                        .withTimeout(Duration.ofMillis(500), 1), t))
                        .withChecks(false, Duration.ofSeconds(30), 3, 3)))
                .withProfiles(Map.of("corp", "main", "guest", "main", "failover", "failover", "dead", "dead", "second",
                        "second", "tls", "tls", "tls-failover", "tls-failover"));
        List<ProfileRule> rules = List.of(new ProfileRule("guest", null, "guest"),
                new ProfileRule("failover", null, "failover"), new ProfileRule("dead", null, "dead"),
                new ProfileRule("second", null, "second"), new ProfileRule("tls", null, "tls"),
                new ProfileRule("tls-failover", null, "tls-failover"));
        server = RadiusServer.start(TestWorld.settings().withBindAddress("::"), EapSettings.DISABLED, upstreams,
                List.of(NasClient.builder("vpn", "127.0.0.1", TestWorld.SECRET).vendor(VendorProfile.CISCO)
                                .profile("corp").profileRules(rules).build(),
                        NasClient.builder("vpn6", "::1/128", TestWorld.SECRET).profile("corp").authenticateWith("second")
                                .build()),
                new RadiusServices(policy, world.compliance, world.sessions, world.audit::add, world.clock));
        proxy = server.proxy().orElseThrow();
        for (UpstreamStats u : proxy.stats()) {
            java.util.concurrent.atomic.LongAdder n = new java.util.concurrent.atomic.LongAdder();
            LATENCIES.put(u.upstream(), n);
            proxy.onLatency(u.upstream(), nanos -> n.increment());
        }
    }

    /** Round trips the proxy reported, by upstream. */
    private static final Map<String, java.util.concurrent.atomic.LongAdder> LATENCIES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static UpstreamSettings upstream(String name, HomeServer h) throws Exception {
        return UpstreamSettings.udp(name, InetAddress.getByName("127.0.0.1"), h.authPort, HomeServer.SECRET)
                .withAcctPort(h.acctPort).withTimeout(Duration.ofSeconds(3), 2)
                .withRequireMessageAuthenticator(false); // Debian 12's FreeRADIUS 3.2.1 signs no reply with it
    }

    /** A RadSec upstream presenting {@code cert}, trusting {@code ca} for the server's certificate. */
    private static UpstreamSettings tlsUpstream(String name, int port, CertificateAuthority ca, IssuedClient cert)
            throws Exception {
        return UpstreamSettings.radsec(name, InetAddress.getByName("127.0.0.1"), port,
                TlsContexts.client(List.of(ca.layout().caCertificate()), cert.chainFile(), cert.keyFile()))
                .withTimeout(Duration.ofSeconds(3), 2).withRequireMessageAuthenticator(false);
    }

    /** A loopback TCP port nothing listens on (connections are refused). */
    private static int closedTcpPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (world != null) {
            world.close();
        }
        for (HomeServer h : new HomeServer[]{a, b, health, tlsHome}) {
            if (h != null) {
                h.close();
            }
        }
    }

    private static Run radclient(String host, String command, String attributes) throws Exception {
        int port = command.equals("acct") ? server.acctAddress().getPort() : server.authAddress().getPort();
        return Radclient.run(host, port, command, TestWorld.SECRET, attributes, 8, 1);
    }

    private static String login(String user, String password, String mac, String ssid) {
        return "User-Name = \"" + user + "\", User-Password = \"" + password + "\", Calling-Station-Id = \"" + mac
                + "\", NAS-Port-Type = Virtual, Message-Authenticator = 0x00"
                + (ssid == null ? "" : ", Called-Station-Id = \"AA-BB-CC-DD-EE-FF:" + ssid + "\"");
    }

    /** Alice's PAP login (compliant MAC) on {@code ssid}'s profile: accepted, with home server {@code from}'s welcome. */
    private static void aliceAccepted(String ssid, String from) throws Exception {
        Run r = radclient("127.0.0.1", "auth", login("alice", "alice-pass", "00-11-22-33-44-01", ssid));
        assertTrue(r.received("Access-Accept"), r.output() + debug());
        assertTrue(r.output().contains("Reply-Message = \"welcome alice from " + from + "\""), r.output());
    }

    private static UpstreamStats stats(String upstream) {
        return proxy.stats().stream().filter(s -> s.upstream().equals(upstream)).findFirst().orElseThrow();
    }

    private static String debug() {
        return "\nA:\n" + a.log() + "\nB:\n" + b.log() + "\nT:\n" + tlsHome.log() + "\nstats " + proxy.stats()
                + "\naudit " + world.audit;
    }

    @Test
    void compliantDevice_papLogin_getsUpstreamAcceptMergedWithProfile() throws Exception {
        Run r = radclient("127.0.0.1", "auth", login("alice", "alice-pass", "00-11-22-33-44-01", null));
        assertTrue(r.received("Access-Accept"), r.output() + debug());
        String o = r.output();
        assertTrue(o.contains("Reply-Message = \"welcome alice from A\""), o); // upstream's kept
        assertTrue(o.contains("Class = 0x757073747265616d2d636c617373"), o); // upstream's Class "upstream-class" kept
        assertTrue(o.matches("(?s).*Class = 0x6e616367773a[0-9a-f]{32}.*"), o); // and nacgw's
        assertTrue(o.contains("Filter-Id = \"corp-acl\""), o); // the profile's wins
        assertFalse(o.contains("upstream-acl"), o);
        assertTrue(o.contains("Session-Timeout = 3600"), o);
        assertFalse(o.contains("Session-Timeout = 7200"), o);
        assertTrue(o.contains("Tunnel-Private-Group-Id:0 = \"100\""), o);
        waitFor(() -> world.audit.stream().anyMatch(l -> l.contains("\"method\":\"proxy-pap\"")
                && l.contains("\"verdict\":\"accept\"") && l.contains("main/a")), "audit of the accept");
    }

    /**
     * A RadSec NAS's login takes the same proxy path as a UDP one: its User-Password (hidden with the RadSec secret)
     * is re-hidden for the upstream, and the merged Accept comes back on the TLS connection.
     */
    @Test
    void radsecNas_papLogin_isProxied_andTheMergedAcceptComesBackOverTls() throws Exception {
        CertificateAuthority ca = CertificateAuthority.open(tmp.resolve("pki"));
        ca.init(ServerNames.defaults(), KeyType.ECDSA_P256, false);
        IssuedClient cert = ca.issueClient("vpn", Role.NAS, 30, "unused-p12".toCharArray());
        Duration wait = Duration.ofSeconds(20);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(ServerTlsConfig.fromPki(ca.layout(),
                ClientAuth.REQUIRE))) {
            RadSecServer radsec = server.startRadSec(new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5),
                    Duration.ofSeconds(10), 8), tls);
            long accepts = stats("a").accepts();
            try (RadSecClient c = RadSecClient.connect(new InetSocketAddress("127.0.0.1", radsec.address().getPort()),
                    TlsContexts.client(List.of(ca.layout().caCertificate()), cert.chainFile(), cert.keyFile()), group,
                    wait).join()) {
                byte[] reply = c.send(RadiusCode.ACCESS_REQUEST, List.of(Attribute.text(AttributeType.USER_NAME, "alice"),
                        Attribute.text(AttributeType.USER_PASSWORD, "alice-pass"),
                        Attribute.text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01"),
                        Attribute.integer(AttributeType.NAS_PORT_TYPE, 5)), wait).join();
                assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0] & 0xFF, debug());
                List<Attribute> attributes = RadiusCodec.attributes(reply);
                assertTrue(attributes.contains(Attribute.text(AttributeType.REPLY_MESSAGE, "welcome alice from A")),
                        attributes + debug()); // the upstream checked the password
                assertTrue(attributes.contains(Attribute.text(AttributeType.FILTER_ID, "corp-acl")), attributes.toString());
                byte[] wrong = c.send(RadiusCode.ACCESS_REQUEST, List.of(Attribute.text(AttributeType.USER_NAME, "alice"),
                        Attribute.text(AttributeType.USER_PASSWORD, "wrong"),
                        Attribute.text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")), wait).join();
                assertEquals(RadiusCode.ACCESS_REJECT, wrong[0] & 0xFF, debug());
            }
            assertEquals(accepts + 1, stats("a").accepts());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void radsecUpstream_papLogin_isCheckedOverTls_andMergedWithTheProfile_wrongPasswordRejected() throws Exception {
        long accepts = stats("t").accepts();
        long timed = LATENCIES.get("t").sum();
        aliceAccepted("tls", "T");
        assertEquals(accepts + 1, stats("t").accepts());
        assertEquals(timed + 1, LATENCIES.get("t").sum(), "the RadSec round trip is timed too");
        Run wrong = radclient("127.0.0.1", "auth", login("alice", "wrong", "00-11-22-33-44-01", "tls"));
        assertTrue(wrong.received("Access-Reject"), wrong.output() + debug());
        assertTrue(stats("t").rejects() >= 1);
    }

    @Test
    void radsecUpstream_statusServerWatchdog_isAnsweredOverTheConnection() throws Exception {
        waitFor(() -> stats("t").probesAnswered() >= 3, "three Status-Server probes answered over TLS");
        assertEquals(UpstreamState.ALIVE, stats("t").state());
    }

    @Test
    void radsecUpstreamRefusingConnections_failsOverToTheNext() throws Exception {
        aliceAccepted("tls-failover", "T");
        assertTrue(stats("refusing").timeouts() >= 1, "the refused connection is a failed try: " + proxy.stats());
        assertEquals(0, stats("refusing").accepts());
    }

    @Test
    void noncompliantDevice_onCorp_isRejectedWithTheReason_despiteTheUpstreamAccept() throws Exception {
        long accepts = stats("a").accepts();
        Run r = radclient("127.0.0.1", "auth", login("alice", "alice-pass", "00-11-22-33-44-02", null));
        assertTrue(r.received("Access-Reject"), r.output() + debug());
        assertTrue(r.output().contains("Reply-Message = \"Denied: the device is not compliant"), r.output());
        assertEquals(accepts + 1, stats("a").accepts()); // the upstream did accept the password
    }

    @Test
    void noncompliantDevice_onGuest_isQuarantined() throws Exception {
        Run r = radclient("127.0.0.1", "auth", login("alice", "alice-pass", "00-11-22-33-44-02", "guest"));
        assertTrue(r.received("Access-Accept"), r.output() + debug());
        assertTrue(r.output().contains("Tunnel-Private-Group-Id:0 = \"999\""), r.output());
        assertTrue(r.output().contains("Filter-Id = \"quarantine-acl\""), r.output());
        assertFalse(r.output().contains("welcome alice"), r.output()); // the quarantine explanation replaces it
        assertTrue(r.output().contains("Class = 0x757073747265616d2d636c617373"), r.output());
    }

    @Test
    void wrongPassword_getsTheUpstreamsReject() throws Exception {
        long rejects = stats("a").rejects();
        Run r = radclient("127.0.0.1", "auth", login("alice", "wrong", "00-11-22-33-44-01", null));
        assertTrue(r.received("Access-Reject"), r.output() + debug());
        assertEquals(rejects + 1, stats("a").rejects());
        waitFor(() -> world.audit.stream().anyMatch(l -> l.contains("upstream_reject")), "audit of upstream_reject");
    }

    @Test
    void chapLogin_overTheNasAuthenticator_isVerifiedUpstream() throws Exception {
        // radclient computes CHAP over its Request Authenticator; nacgw sends a new one, so it adds CHAP-Challenge
        Run ok = radclient("127.0.0.1", "auth", "User-Name = \"alice\", CHAP-Password = \"alice-pass\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", NAS-Port-Type = Virtual, Message-Authenticator = 0x00");
        assertTrue(ok.received("Access-Accept"), ok.output() + debug());
        assertTrue(ok.output().contains("welcome alice from A"), ok.output());
        Run bad = radclient("127.0.0.1", "auth", "User-Name = \"alice\", CHAP-Password = \"wrong\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", NAS-Port-Type = Virtual, Message-Authenticator = 0x00");
        assertTrue(bad.received("Access-Reject"), bad.output() + debug());
    }

    @Test
    void msChapLogin_isVerifiedUpstream() throws Exception {
        // radclient turns MS-CHAP-Password into MS-CHAP-Challenge and MS-CHAP-Response
        Run ok = radclient("127.0.0.1", "auth", "User-Name = \"alice\", MS-CHAP-Password = \"alice-pass\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", NAS-Port-Type = Virtual, Message-Authenticator = 0x00");
        assertTrue(ok.received("Access-Accept"), ok.output() + debug());
        assertTrue(ok.output().contains("MS-CHAP-MPPE-Keys") || ok.output().contains("MS-MPPE"), ok.output());
        assertTrue(world.audit.stream().noneMatch(l -> l.contains("mschap_not_supported")), String.valueOf(world.audit));
    }

    @Test
    void challenge_passesThroughWithState_andTheNextRoundIsAccepted() throws Exception {
        Run first = radclient("127.0.0.1", "auth", login("mfa", "whatever", "00-11-22-33-44-01", null));
        assertTrue(first.received("Access-Challenge"), first.output() + debug());
        assertTrue(first.output().contains("Reply-Message = \"Enter the code\""), first.output());
        assertTrue(first.output().contains("State = 0x6d666131"), first.output());
        Run second = radclient("127.0.0.1", "auth", login("mfa", "123456", "00-11-22-33-44-01", null)
                + ", State = 0x6d666131");
        assertTrue(second.received("Access-Accept"), second.output() + debug());
        assertTrue(second.output().contains("code accepted by A"), second.output());
    }

    @Test
    void mab_fromTheSameClient_isAnsweredLocally() throws Exception {
        long requests = stats("a").requests();
        Run r = radclient("127.0.0.1", "auth", "User-Name = \"001122334401\", User-Password = \"001122334401\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", Service-Type = Call-Check, Message-Authenticator = 0x00");
        assertTrue(r.received("Access-Accept"), r.output());
        assertEquals(requests, stats("a").requests());
    }

    @Test
    void clientsAuthenticateWith_winsOverItsProfiles() throws Exception {
        Run r = radclient("::1", "auth", login("alice", "alice-pass", "00-11-22-33-44-01", null));
        assertTrue(r.received("Access-Accept"), r.output() + debug());
        assertTrue(r.output().contains("welcome alice from B"), r.output());
    }

    @Test
    void silentUpstream_failsOverToTheSecond() throws Exception {
        long timeouts = stats("silent1").timeouts();
        aliceAccepted("failover", "B");
        assertEquals(timeouts + 1, stats("silent1").timeouts());
        assertTrue(stats("silent1").retransmissions() >= 1, String.valueOf(stats("silent1")));
        assertEquals(UpstreamState.ZOMBIE, stats("silent1").state());
    }

    @Test
    void noUpstreamAnswers_rejectAfterTheTimeouts_counted() throws Exception {
        long failures = proxy.failures("dead");
        Run r = radclient("127.0.0.1", "auth", login("alice", "alice-pass", "00-11-22-33-44-01", "dead"));
        assertTrue(r.received("Access-Reject"), r.output() + debug());
        assertTrue(r.output().contains("no upstream RADIUS server answered"), r.output());
        assertEquals(failures + 1, proxy.failures("dead"));
        waitFor(() -> world.audit.stream().anyMatch(l -> l.contains("upstream_unavailable")), "audit of unavailable");
    }

    @Test
    void statusServer_marksAnUpstreamDead_andAliveAgain() throws Exception {
        waitFor(() -> stats("h").probesAnswered() >= 1, "a probe answered");
        assertEquals(UpstreamState.ALIVE, stats("h").state());
        health.stop();
        waitFor(() -> stats("h").state() == UpstreamState.DEAD, "h dead");
        health.start();
        waitFor(() -> stats("h").state() == UpstreamState.ALIVE, "h alive again");
    }

    @Test
    void accounting_isCopiedToTheUpstream() throws Exception {
        long copied = stats("a").accountingCopied();
        Run r = radclient("127.0.0.1", "acct", "Acct-Status-Type = Start, Acct-Session-Id = \"proxy-1\", "
                + "User-Name = \"alice\", Calling-Station-Id = \"00-11-22-33-44-01\"");
        assertTrue(r.received("Accounting-Response"), r.output());
        waitFor(() -> stats("a").accountingCopied() == copied + 1, "accounting copied");
    }

    @Test
    void nasRetransmission_isAnsweredFromTheCache_neverASecondUpstreamRequest() throws Exception {
        long requests = stats("b").requests();
        RequestBuilder rb = RequestBuilder.access(77).text(AttributeType.USER_NAME, "alice").pap("alice-pass")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .text(AttributeType.CALLED_STATION_ID, "AA-BB-CC-DD-EE-FF:second");
        byte[] request = rb.build(Secret.of(TestWorld.SECRET));
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(20_000);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.authAddress().getPort());
            s.send(new DatagramPacket(request, request.length, to));
            s.send(new DatagramPacket(request, request.length, to)); // in progress: dropped, not forwarded again
            byte[] buf = new byte[4096];
            DatagramPacket first = new DatagramPacket(buf, buf.length);
            s.receive(first);
            byte[] reply1 = Arrays.copyOf(first.getData(), first.getLength());
            s.send(new DatagramPacket(request, request.length, to)); // answered: from the cache
            DatagramPacket again = new DatagramPacket(new byte[4096], 4096);
            s.receive(again);
            assertArrayEquals(reply1, Arrays.copyOf(again.getData(), again.getLength()));
            assertEquals(2, reply1[0]); // Access-Accept
        }
        assertEquals(requests + 1, stats("b").requests());
    }

    private static void waitFor(BooleanSupplier c, String what) throws InterruptedException {
        // the audit log and the health checks work in the background: bounded waits, never fixed sleeps
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + debug());
            }
            Thread.sleep(50);
        }
    }
}
