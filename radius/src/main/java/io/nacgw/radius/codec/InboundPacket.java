package io.nacgw.radius.codec;

import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A received datagram's bytes on their way through the checks that run before decoding. Each check returns a copy
 * with what it learnt: the NAS client (source lookup), the exact packet bytes (structure), the secret
 * (authenticators).
 *
 * @param sender         source address and port
 * @param data           the datagram (after structural validation: exactly the Length field's bytes)
 * @param client         the matched NAS client, null before the lookup
 * @param secret         the secret that verified the packet, null before verification
 * @param receivedNanos  {@link System#nanoTime()} at arrival
 */
public record InboundPacket(InetSocketAddress sender, byte[] data, NasClient client, Secret secret, long receivedNanos) {
    public InboundPacket {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(data, "data");
    }

    /** The packet code (first byte), or -1 for an empty datagram. */
    public int code() {
        return data.length > 0 ? data[0] & 0xFF : -1;
    }

    /** The packet identifier, or -1 when too short. */
    public int identifier() {
        return data.length > 1 ? data[1] & 0xFF : -1;
    }

    /** A copy of the Request Authenticator; requires a structurally valid packet. */
    public byte[] authenticator() {
        byte[] a = new byte[16];
        System.arraycopy(data, 4, a, 0, 16);
        return a;
    }

    public InboundPacket withClient(NasClient c) {
        return new InboundPacket(sender, data, c, secret, receivedNanos);
    }

    InboundPacket withData(byte[] d) {
        return new InboundPacket(sender, d, client, secret, receivedNanos);
    }

    public InboundPacket withSecret(Secret s) {
        return new InboundPacket(sender, data, client, s, receivedNanos);
    }

    @Override
    public String toString() {
        return "InboundPacket[" + RadiusCode.name(code()) + " id=" + identifier() + " from " + sender + ", "
                + data.length + " bytes]";
    }
}
