package io.nacgw.radius.radsec;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.ClientAuth;
import io.nacgw.certs.ClientTls;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ReloadingTlsContext;
import io.nacgw.certs.Role;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.ServerTlsConfig;
import io.nacgw.certs.TlsContexts;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.proxy.RadSecClient;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A running RADIUS server with RadSec on loopback, nacgw's CA with a NAS certificate "switch" for the client
 * "switch", and an NIO group for clients. For tests of this package and the interop tests.
 */
final class RadSecFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    final TestWorld world = new TestWorld();
    final CertificateAuthority ca;
    final IssuedClient nasCert;
    final ReloadingTlsContext tls;
    final RadiusServer radius;
    final RadSecServer radsec;
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Path dir;

    RadSecFixture(Path dir, RadSecSettings settings, List<NasClient> clients, Clock serverClock) {
        this.dir = dir;
        ca = CertificateAuthority.open(dir.resolve("pki"));
        ca.init(ServerNames.defaults(), KeyType.ECDSA_P256, false);
        nasCert = ca.issueClient("switch", Role.NAS, 30, "unused-p12".toCharArray());
        tls = ReloadingTlsContext.create(ServerTlsConfig.fromPki(ca.layout(), ClientAuth.REQUIRE).withClock(serverClock));
        radius = RadiusServer.start(TestWorld.settings(), clients, world.services());
        radsec = radius.startRadSec(settings, tls);
    }

    RadSecFixture(Path dir) {
        this(dir, testSettings(), List.of(TestWorld.switchClient("192.0.2.1").build()), Clock.systemUTC());
    }

    static RadSecSettings testSettings() {
        return new RadSecSettings(true, "127.0.0.1", 0, Duration.ofMinutes(5), Duration.ofSeconds(10), 64);
    }

    /** Client TLS presenting {@code cert} and trusting nacgw's CA. */
    ClientTls clientTls(IssuedClient cert) {
        return TlsContexts.client(List.of(ca.layout().caCertificate()), cert.chainFile(), cert.keyFile());
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", radsec.address().getPort());
    }

    RadSecClient connect(IssuedClient cert) {
        return RadSecClient.connect(address(), clientTls(cert), group, WAIT).join();
    }

    RadSecClient connect() {
        return connect(nasCert);
    }

    static List<Attribute> mab(MacAddress mac) {
        String hex = mac.toHex12();
        return List.of(Attribute.text(AttributeType.USER_NAME, hex), Attribute.text(AttributeType.USER_PASSWORD, hex),
                Attribute.integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK),
                Attribute.text(AttributeType.CALLING_STATION_ID, mac.toString()));
    }

    static byte[] accessRequest(RadSecClient c, MacAddress mac) {
        return c.send(RadiusCode.ACCESS_REQUEST, mab(mac), WAIT).join();
    }

    /** Waits (bounded) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    /** Waits at most {@code bound} until {@code condition} holds. */
    static void await(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        radius.close();
        tls.close();
        world.close();
    }
}
