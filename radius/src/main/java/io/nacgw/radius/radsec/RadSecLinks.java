package io.nacgw.radius.radsec;

import io.nacgw.core.secret.Secret;
import io.nacgw.core.session.NasRef;
import io.nacgw.radius.coa.NasLinks;
import io.nacgw.radius.codec.RadSec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The open RadSec connections by NAS client and peer address, so that a CoA for a session that came over RadSec goes
 * back over its NAS's connection (RFC 6614 §2.5), and the ACK/NAK read on it reach the CoA sender.
 */
final class RadSecLinks implements NasLinks {
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private volatile BiConsumer<InetSocketAddress, byte[]> answers;

    private record Connection(Channel channel, InetSocketAddress remote) implements Link {
        @Override
        public Secret secret() {
            return RadSec.SECRET;
        }

        @Override
        public void send(byte[] packet) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(packet), channel.voidPromise());
        }
    }

    private static String key(String client, String peerAddress) {
        return client + '|' + peerAddress;
    }

    /** The connection {@code ch} speaks for {@code client} now (the newest connection from a peer wins). */
    void opened(String client, InetSocketAddress peer, Channel ch) {
        if (peer.getAddress() == null) {
            return; // not a TCP peer (an embedded test channel)
        }
        String k = key(client, NasRef.addressText(peer.getAddress()));
        Connection c = new Connection(ch, peer);
        open.put(k, c);
        ch.closeFuture().addListener(f -> open.remove(k, c));
    }

    @Override
    public Link find(String client, String peerAddress) {
        Connection c = open.get(key(client, NasRef.canonicalAddress(peerAddress)));
        return c == null || !c.channel().isActive() ? null : c;
    }

    @Override
    public void answersTo(BiConsumer<InetSocketAddress, byte[]> sink) {
        this.answers = sink;
    }

    /** Hands a CoA/Disconnect ACK or NAK read from {@code peer} to the CoA sender; false when none listens. */
    boolean answer(InetSocketAddress peer, byte[] packet) {
        BiConsumer<InetSocketAddress, byte[]> a = answers;
        if (a == null) {
            return false;
        }
        a.accept(peer, packet);
        return true;
    }
}
