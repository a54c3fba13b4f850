package io.nacgw.radius.bootstrap;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.secret.Secret;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server on real sockets: binding, transports, asynchronous lookups, reload, stats. */
final class RadiusServerTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);

    /** Sends one datagram and waits up to {@code timeoutMs} for the reply; null on timeout. */
    static byte[] exchange(InetSocketAddress to, byte[] datagram, int timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(timeoutMs);
            s.send(new DatagramPacket(datagram, datagram.length, to));
            byte[] buf = new byte[4096];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, in.getLength());
        }
    }

    /** Waits (bounded) for the server threads to count a drop: the datagram is processed asynchronously. */
    private static void awaitDrops(RadiusServer server, DropReason reason, long expected) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.stats().drops(reason) < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(expected, server.stats().drops(reason));
    }

    private static RequestBuilder mab(int id, MacAddress mac) {
        return RequestBuilder.access(id).text(AttributeType.USER_NAME, mac.toHex12())
                .text(AttributeType.CALLING_STATION_ID, mac.toRfc3580())
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .pap(mac.toHex12());
    }

    private static void assertAccepted(RadiusServer server, int id, MacAddress mac) throws IOException {
        RequestBuilder b = mab(id, mac);
        byte[] reply = exchange(server.authAddress(), b.build(SECRET), 5000);
        assertNotNull(reply, "answered");
        Replies.assertSigned(reply, b.authenticator(), SECRET, true);
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
    }

    @Test
    void start_epollWithReusePort_bindsSeveralChannelsOnOnePort() throws IOException {
        Needs.that(Epoll.isAvailable(), "Netty's native epoll transport (Linux; " + Epoll.unavailabilityCause() + ")");
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings().withTransport(true, 3),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services())) {
            assertEquals("epoll x3", server.transport());
            assertTrue(server.authAddress().getPort() > 0 && server.acctAddress().getPort() > 0);
            for (int i = 0; i < 20; i++) { // new source ports each time: the kernel spreads them over the channels
                assertAccepted(server, i, TestWorld.COMPLIANT);
            }
            assertEquals(20, server.stats().accepts());
        }
    }

    @Test
    void receiveBuffer_startsAtTheConfiguredSize() throws Exception {
        Needs.that(Epoll.isAvailable(), "Netty's native epoll transport (Linux; " + Epoll.unavailabilityCause() + ")");
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings().withTransport(true, 1)
                             .withMaxQueueDelay(java.time.Duration.ofMillis(1)),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services())) {
            long rmemMax = Long.parseLong(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/net/core/rmem_max")).trim());
            for (io.netty.channel.Channel ch : server.channels()) {
                int opened = ch.config().getOption(io.netty.channel.ChannelOption.SO_RCVBUF);
                assertTrue(opened >= Math.min(RadiusSettings.DEFAULTS.receiveBufferBytes(), rmemMax),
                        "radius.receiveBufferBytes applied to the socket: " + opened);
            }
            // sized to radius.maxQueueDelay at the measured rate once a window closes: AdmissionTest drives the
            // window with its own ticker on a real epoll socket
        }
    }

    @Test
    void sheddingOverTheRate_makesTheAcceptRecorderPause_soAnsweringKeepsTheCpu() throws Exception {
        // a burst of 16 admitted, then 1/s: the rest of a burst is shed, and the recorder's next transaction sees it
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings().withMaxRequestsPerSecond(1),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services());
             DatagramSocket nas = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            assertAccepted(server, 0, TestWorld.COMPLIANT);
            awaitStat(() -> server.stats().acceptsRecorded() >= 1, "the first Accept recorded");
            assertEquals(0, server.stats().acceptWriterPausedNanos(), "nothing shed yet");
            for (int i = 1; i <= 40; i++) { // unknown devices: rejected, so nothing for the recorder
                byte[] d = mab(i, TestWorld.UNKNOWN).build(SECRET);
                nas.send(new DatagramPacket(d, d.length, server.authAddress()));
            }
            awaitDrops(server, DropReason.OVERLOADED, 24); // 16 of the 40 admitted (17 in the burst, one before)
            Thread.sleep(1_100); // the rate admits one more; and the recorder reads the shed count again (every 100 ms)
            byte[] reply = exchange(server.authAddress(), // another NAS port: not a repeat, so it is written
                    mab(41, TestWorld.COMPLIANT).integer(AttributeType.NAS_PORT, 7).build(SECRET), 5000);
            assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
            awaitStat(() -> server.stats().acceptWriterPausedNanos() > 0, "the recorder paused: " + server.stats());
            assertEquals(2, server.stats().acceptsRecorded(), "paused after writing, nothing dropped");
        }
    }

    private static void awaitStat(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 10 s: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void start_nio_bindsOneChannelPerPort() throws IOException {
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings().withTransport(false, 4),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services())) {
            assertEquals("nio", server.transport());
            assertAccepted(server, 1, TestWorld.COMPLIANT);
        }
    }

    @Test
    void start_ipv6Loopback_servesIpv6Clients() throws IOException {
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        Needs.that(hasIpv6Loopback(), "an IPv6 loopback address (::1)");
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings().withBindAddress("::1"),
                     List.of(TestWorld.switchClient("::1/128").build()), world.services());
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            RequestBuilder b = mab(1, TestWorld.COMPLIANT);
            byte[] d = b.build(SECRET);
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(d, d.length, server.authAddress()));
            byte[] buf = new byte[4096];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            s.receive(in);
            assertEquals(RadiusCode.ACCESS_ACCEPT, buf[0]);
        }
    }

    private static boolean hasIpv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void start_portInUse_failsWithTheAddress() throws IOException {
        try (TestWorld world = new TestWorld();
             DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            RadiusSettings s = TestWorld.settings().withTransport(false, 1).withPorts(taken.getLocalPort(), 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RadiusServer.start(s,
                    List.of(TestWorld.switchClient("127.0.0.1").build()), world.services()));
            assertTrue(e.getMessage().contains("auth port"), e.getMessage());
        }
    }

    @Test
    void start_epoll_portHeldByAnotherReusePortServer_isRefused_notShared() throws IOException {
        Needs.that(Epoll.isAvailable(), "Netty's native epoll transport (Linux; " + Epoll.unavailabilityCause() + ")");
        try (TestWorld world = new TestWorld();
             RadiusServer first = RadiusServer.start(TestWorld.settings().withTransport(true, 2),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services())) {
            // a second gateway on the same port would silently get a share of the traffic through SO_REUSEPORT
            RadiusSettings same = TestWorld.settings().withTransport(true, 2)
                    .withPorts(first.authAddress().getPort(), 0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RadiusServer.start(same,
                    List.of(TestWorld.switchClient("127.0.0.1").build()), world.services()));
            assertTrue(e.getMessage().contains("auth port") && e.getMessage().contains("already in use"), e.getMessage());
            for (int i = 0; i < 10; i++) {
                assertAccepted(first, i, TestWorld.COMPLIANT); // the first one still answers everything
            }
        }
    }

    @Test
    void start_clientNamingUnknownProfile_isRefused() {
        try (TestWorld world = new TestWorld()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RadiusServer.start(
                    TestWorld.settings(), List.of(TestWorld.switchClient("127.0.0.1").profile("lab").build()),
                    world.services()));
            assertTrue(e.getMessage().contains("[lab]"), e.getMessage());
        }
    }

    @Test
    void lookup_deviceBeyondTheIndex_isAnsweredWhenTheStoreLoadCompletes() throws IOException {
        // the index holds one device; the others are loaded from the store asynchronously, off the event loop
        MacAddress far = MacAddress.parse("02:00:00:00:00:09");
        DeviceRecord extra = TestWorld.device(DeviceGuid.intune("21111111-2222-4333-8444-000000000009"), far,
                ComplianceState.COMPLIANT);
        try (TestWorld world = new TestWorld(IndexSettings.DEFAULTS.withMaxDevices(1), List.of(extra));
             RadiusServer server = RadiusServer.start(TestWorld.settings(),
                     List.of(TestWorld.switchClient("127.0.0.1").build()), world.services())) {
            assertTrue(!world.compliance.complete());
            assertAccepted(server, 1, far);
            assertAccepted(server, 2, TestWorld.COMPLIANT);
            assertTrue(world.compliance.stats().storeLoads() >= 1, "at least one answer waited for the store");
        }
    }

    @Test
    void reload_swapsClientsWithoutRestart() throws IOException {
        try (TestWorld world = new TestWorld();
             RadiusServer server = RadiusServer.start(TestWorld.settings(),
                     List.of(TestWorld.switchClient("10.0.0.0/8").build()), world.services())) {
            assertNull(exchange(server.authAddress(), mab(1, TestWorld.COMPLIANT).build(SECRET), 300),
                    "127.0.0.1 is not a client yet");
            awaitDrops(server, DropReason.UNKNOWN_CLIENT, 1);
            server.reload(List.of(TestWorld.switchClient("127.0.0.0/8").build()));
            assertEquals("127.0.0.0/8", server.clients().get(0).address().toString());
            assertAccepted(server, 2, TestWorld.COMPLIANT);
            assertThrows(IllegalArgumentException.class, () -> server.reload(List.of(
                    TestWorld.switchClient("127.0.0.1").profile("nope").build())));
            assertAccepted(server, 3, TestWorld.COMPLIANT); // a rejected reload leaves the registry in place
        }
    }
}
