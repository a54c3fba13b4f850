package io.nacgw.radius.codec;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An encoded, signed reply on its way to the socket, with the request it answers (the duplicate cache keys on it).
 *
 * @param recipient  where to send it
 * @param data       the wire bytes (do not modify)
 * @param request    the request answered
 */
public record OutboundPacket(InetSocketAddress recipient, byte[] data, RadiusRequest request) {
    public OutboundPacket {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(data, "data");
    }
}
