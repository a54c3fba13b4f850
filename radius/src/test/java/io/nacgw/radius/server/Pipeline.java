package io.nacgw.radius.server;

import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.ServicePort;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both ports' full pipelines in EmbeddedChannels over a real {@link TestWorld}. */
final class Pipeline implements AutoCloseable {
    static final InetSocketAddress NAS = new InetSocketAddress("192.0.2.10", 40000);
    static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1812);

    final TestWorld world;
    final ServerComponents components;
    final EmbeddedChannel auth;
    final EmbeddedChannel acct;

    /** The standard switch client for 192.0.2.0/24; accounting writes run on the calling thread. */
    Pipeline(TestWorld world) {
        this(world, List.of(TestWorld.switchClient("192.0.2.0/24").build()), Runnable::run);
    }

    Pipeline(TestWorld world, List<NasClient> clients, Executor accounting) {
        this(world, clients, accounting, io.nacgw.radius.eap.EapSettings.DISABLED);
    }

    /** The standard switch client, with EAP per {@code eap}. */
    Pipeline(TestWorld world, io.nacgw.radius.eap.EapSettings eap) {
        this(world, List.of(TestWorld.switchClient("192.0.2.0/24").build()), Runnable::run, eap);
    }

    Pipeline(TestWorld world, List<NasClient> clients, Executor accounting, io.nacgw.radius.eap.EapSettings eap) {
        this.world = world;
        this.components = new ServerComponents(TestWorld.settings(), eap, NasRegistry.of(clients), world.services(),
                accounting);
        this.auth = new EmbeddedChannel(components.initializer(ServicePort.AUTH));
        this.acct = new EmbeddedChannel(components.initializer(ServicePort.ACCT));
    }

    Counters counters() {
        return components.counters();
    }

    /** Sends a datagram to the auth port from the NAS; returns the reply's bytes or null. */
    byte[] auth(byte[] datagram) {
        return send(auth, datagram, NAS);
    }

    byte[] acct(byte[] datagram) {
        return send(acct, datagram, NAS);
    }

    static byte[] send(EmbeddedChannel ch, byte[] datagram, InetSocketAddress from) {
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, from));
        ch.runPendingTasks();
        return poll(ch, from);
    }

    /** The next reply written on {@code ch}, or null. */
    static byte[] poll(EmbeddedChannel ch, InetSocketAddress expectedRecipient) {
        ch.runPendingTasks();
        DatagramPacket out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            assertEquals(expectedRecipient, out.recipient(), "the reply goes back to the sender");
            return ByteBufUtil.getBytes(out.content());
        } finally {
            out.release();
        }
    }

    @Override
    public void close() {
        auth.finishAndReleaseAll();
        acct.finishAndReleaseAll();
        components.close();
    }
}
