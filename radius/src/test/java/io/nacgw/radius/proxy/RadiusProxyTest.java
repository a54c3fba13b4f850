package io.nacgw.radius.proxy;

import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.RadiusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The proxy against scripted upstreams on loopback (real UDP, replies built and signed by the test): forged and
 * unsigned replies are dropped and counted, round-robin spreads requests, a Challenge's next round returns to the
 * upstream that issued it, a pool whose upstreams are dead answers at once, a request too large is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RadiusProxyTest {
    private static final Secret NAS = Secret.of("nas-secret-1");
    private static final String SECRET = "upstream-secret-2";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A UDP upstream that answers each request with the datagrams {@code script} returns, in order. */
    private final class Scripted implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicInteger received = new AtomicInteger();

        Scripted(Function<byte[], List<byte[]>> script) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread thread = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                        received.incrementAndGet();
                        for (byte[] reply : script.apply(Arrays.copyOf(p.getData(), p.getLength()))) {
                            socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                        }
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
            open.add(this);
        }

        UpstreamSettings settings(String name) {
            return UpstreamSettings.udp(name, InetAddress.getLoopbackAddress(), socket.getLocalPort(), SECRET)
                    .withAcctPort(socket.getLocalPort() == 65535 ? 1 : socket.getLocalPort() + 1)
                    .withTimeout(Duration.ofMillis(300), 2);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static byte[] auth(byte[] request) {
        return Arrays.copyOfRange(request, 4, 20);
    }

    /** Access-Accept (or {@code code}) signed with {@code secret}, MA first when {@code ma}. */
    private static byte[] answer(byte[] req, int code, String secret, boolean ma, byte[]... attrs) {
        return ProxyPacketsTest.reply(code, req[1] & 0xFF, auth(req), Secret.of(secret), ma, attrs);
    }

    private RadiusProxy proxy(PoolSettings... pools) {
        RadiusProxy p = RadiusProxy.start(ProxySettings.of(List.of(pools)));
        open.add(0, p);
        return p;
    }

    private static RadiusRequest request(Attribute... attrs) {
        byte[] a = new byte[16];
        new java.util.Random(1).nextBytes(a);
        List<Attribute> list = new ArrayList<>(List.of(attrs));
        list.add(0, Attribute.text(AttributeType.USER_NAME, "alice"));
        return new RadiusRequest(RadiusCode.ACCESS_REQUEST, 3, a, list, new InetSocketAddress("127.0.0.1", 4000),
                NasClient.builder("nas", "127.0.0.1", "nas-secret-1").build(), NAS, System.nanoTime());
    }

    private static ProxyAnswer await(java.util.concurrent.CompletableFuture<ProxyAnswer> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static PoolSettings pool(String name, PoolSettings.Balance balance, UpstreamSettings... servers) {
        return PoolSettings.failover(name, List.of(servers)).with(balance, Duration.ofSeconds(5))
                .withChecks(false, Duration.ofSeconds(30), 3, 3);
    }

    private static final Function<byte[], List<byte[]>> ACCEPT = req -> List.of(answer(req, RadiusCode.ACCESS_ACCEPT,
            SECRET, true));

    @Test
    void forgedAndUnsignedReplies_areDroppedAndCounted_theGenuineOneIsTaken() throws Exception {
        Scripted up = new Scripted(req -> List.of(
                answer(req, RadiusCode.ACCESS_ACCEPT, "another-secret", true),
                answer(req, RadiusCode.ACCESS_ACCEPT, SECRET, false), // no Message-Authenticator: BlastRADIUS
                Arrays.copyOf(req, 10), // malformed
                answer(req, RadiusCode.ACCESS_REJECT, SECRET, true)));
        RadiusProxy p = proxy(pool("p", PoolSettings.Balance.FAILOVER, up.settings("u")));
        ProxyAnswer a = await(p.forward(request(), "p"));
        assertEquals(ProxyAnswer.Kind.ANSWERED, a.kind());
        assertEquals(RadiusCode.ACCESS_REJECT, a.code());
        assertEquals(3, p.stats("u").badReplies());
        assertEquals(1, p.stats("u").rejects());
    }

    @Test
    void roundRobin_spreadsRequests_failoverKeepsToTheFirst() throws Exception {
        Scripted one = new Scripted(ACCEPT);
        Scripted two = new Scripted(ACCEPT);
        RadiusProxy p = proxy(pool("rr", PoolSettings.Balance.ROUND_ROBIN, one.settings("one"), two.settings("two")),
                pool("fo", PoolSettings.Balance.FAILOVER, one.settings("one"), two.settings("two")));
        for (int i = 0; i < 4; i++) {
            assertEquals(ProxyAnswer.Kind.ANSWERED, await(p.forward(request(), "rr")).kind());
        }
        assertEquals(2, p.stats("one").requests());
        assertEquals(2, p.stats("two").requests());
        for (int i = 0; i < 3; i++) {
            assertEquals("one", await(p.forward(request(), "fo")).upstream());
        }
    }

    @Test
    void challengeRound_goesBackToTheUpstreamThatIssuedIt() throws Exception {
        byte[] state = "round-1".getBytes(StandardCharsets.US_ASCII);
        Function<byte[], List<byte[]>> challenger = req -> RadiusCrypto.find(req, AttributeType.STATE) < 0
                ? List.of(answer(req, RadiusCode.ACCESS_CHALLENGE, SECRET, true,
                ProxyPacketsTest.tlv(AttributeType.STATE, state)))
                : List.of(answer(req, RadiusCode.ACCESS_ACCEPT, SECRET, true));
        Scripted one = new Scripted(challenger);
        Scripted two = new Scripted(challenger);
        RadiusProxy p = proxy(pool("rr", PoolSettings.Balance.ROUND_ROBIN, one.settings("one"), two.settings("two")));
        ProxyAnswer first = await(p.forward(request(), "rr"));
        assertEquals(RadiusCode.ACCESS_CHALLENGE, first.code());
        String issuer = first.upstream();
        assertTrue(first.attributes().stream().anyMatch(a -> a.type() == AttributeType.STATE
                && Arrays.equals(a.value(), state)), first.attributes().toString());
        ProxyAnswer second = await(p.forward(request(Attribute.of(AttributeType.STATE, state)), "rr"));
        assertEquals(RadiusCode.ACCESS_ACCEPT, second.code());
        assertEquals(issuer, second.upstream()); // round-robin alone would have picked the other one
    }

    @Test
    void deadUpstreams_noRequestIsSent_answeredAtOnce() throws Exception {
        Scripted silent = new Scripted(req -> List.of());
        PoolSettings checked = PoolSettings.failover("d", List.of(silent.settings("s").withTimeout(Duration.ofMillis(100), 1)))
                .withChecks(true, Duration.ofMillis(100), 1, 2);
        RadiusProxy p = proxy(checked);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (p.stats("s").state() != UpstreamState.DEAD) {
            if (System.nanoTime() > deadline) {
                fail("never dead: " + p.stats("s"));
            }
            Thread.sleep(20);
        }
        ProxyAnswer a = await(p.forward(request(), "d"));
        assertEquals(ProxyAnswer.Kind.NO_UPSTREAM, a.kind());
        assertEquals(0, p.stats("s").requests());
        assertEquals(1, p.failures("d"));
    }

    @Test
    void silentUpstream_isRetransmittedOnItsOwnTimer_thenTimesOut() throws Exception {
        Scripted silent = new Scripted(req -> List.of());
        RadiusProxy p = proxy(pool("s", PoolSettings.Balance.FAILOVER, silent.settings("s")));
        ProxyAnswer a = await(p.forward(request(), "s"));
        assertEquals(ProxyAnswer.Kind.TIMEOUT, a.kind());
        assertEquals(2, silent.received.get()); // maxAttempts 2: one request, one retransmission
        assertEquals(1, p.stats("s").retransmissions());
        assertEquals(UpstreamState.ZOMBIE, p.stats("s").state());
    }

    @Test
    void latency_runsFromTheFirstSend_aRetransmissionDoesNotRestartIt() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Scripted late = new Scripted(req -> seen.incrementAndGet() == 1 ? List.of() // the first send is "lost"
                : List.of(answer(req, RadiusCode.ACCESS_ACCEPT, SECRET, true)));
        RadiusProxy p = proxy(pool("l", PoolSettings.Balance.FAILOVER, late.settings("late")));
        List<Long> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        p.onLatency("late", samples::add);
        assertEquals(ProxyAnswer.Kind.ANSWERED, await(p.forward(request(), "l")).kind());
        assertEquals(1, p.stats("late").retransmissions());
        assertEquals(1, samples.size(), samples.toString());
        // answered after the 300 ms response timeout and a retransmission: from the retransmission it would be ~0
        assertTrue(samples.get(0) >= TimeUnit.MILLISECONDS.toNanos(300), samples.toString());
    }

    @Test
    void latency_ofAFailover_isTheAnsweringUpstreams_andAnUnknownNameIsRefused() throws Exception {
        Scripted silent = new Scripted(req -> List.of());
        Scripted up = new Scripted(ACCEPT);
        RadiusProxy p = proxy(pool("f", PoolSettings.Balance.FAILOVER, silent.settings("silent"), up.settings("up")));
        List<Long> silentSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> upSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
        p.onLatency("silent", silentSamples::add);
        p.onLatency("up", upSamples::add);
        assertEquals("up", await(p.forward(request(), "f")).upstream());
        assertEquals(List.of(), silentSamples);
        assertEquals(1, upSamples.size());
        assertTrue(upSamples.get(0) > 0, upSamples.toString());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> p.onLatency("nobody", n -> { }));
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());
    }

    @Test
    void close_endsWhatIsOutstanding() throws Exception {
        Scripted silent = new Scripted(req -> List.of());
        RadiusProxy p = RadiusProxy.start(ProxySettings.of(List.of(pool("s", PoolSettings.Balance.FAILOVER,
                silent.settings("s")))));
        java.util.concurrent.CompletableFuture<ProxyAnswer> f = p.forward(request(), "s");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (silent.received.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.close();
        assertEquals(ProxyAnswer.Kind.NO_UPSTREAM, await(f).kind());
        assertEquals(ProxyAnswer.Kind.NO_UPSTREAM, await(p.forward(request(), "s")).kind()); // after close: at once
    }

    @Test
    void accountingCopy_isResignedForTheUpstream_acknowledgedOrCountedLost_neverAPoolFailure() throws Exception {
        Scripted auth = new Scripted(ACCEPT);
        Scripted auth2 = new Scripted(ACCEPT);
        Scripted acct = new Scripted(req -> RadiusCrypto.verifyAccountingRequest(Secret.of(SECRET), req)
                ? List.of(answer(req, RadiusCode.ACCOUNTING_RESPONSE, SECRET, false)) : List.of());
        Scripted silentAcct = new Scripted(req -> List.of());
        RadiusProxy p = proxy(pool("a", PoolSettings.Balance.FAILOVER,
                        auth.settings("up").withAcctPort(acct.socket.getLocalPort())),
                pool("b", PoolSettings.Balance.FAILOVER, auth2.settings("quiet").withAcctPort(
                        silentAcct.socket.getLocalPort())));
        RadiusRequest start = new RadiusRequest(RadiusCode.ACCOUNTING_REQUEST, 5, new byte[16],
                List.of(Attribute.integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_START),
                        Attribute.text(AttributeType.ACCT_SESSION_ID, "s-1")), new InetSocketAddress("127.0.0.1", 4000),
                NasClient.builder("nas", "127.0.0.1", "nas-secret-1").build(), NAS, System.nanoTime());
        p.copyAccounting(start, "a");
        p.copyAccounting(start, "b");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((p.stats("up").accountingCopied() < 1 || p.stats("quiet").accountingLost() < 1)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, p.stats("up").accountingCopied());
        assertEquals(1, p.stats("quiet").accountingLost());
        assertEquals(0, p.failures("b"));
    }

    @Test
    void requestTooLarge_isRefused_nothingSent() throws Exception {
        Scripted up = new Scripted(ACCEPT);
        RadiusProxy p = proxy(pool("p", PoolSettings.Balance.FAILOVER, up.settings("u")));
        Attribute[] many = new Attribute[16];
        Arrays.fill(many, Attribute.of(AttributeType.CLASS, new byte[253])); // 4080 bytes before nacgw adds its own
        ProxyAnswer a = await(p.forward(request(many), "p"));
        assertEquals(ProxyAnswer.Kind.TOO_LARGE, a.kind());
        assertEquals(0, up.received.get());
    }
}
