package io.nacgw.radius.codec;

import java.net.InetSocketAddress;

/**
 * Written outbound instead of a reply when a request that passed the duplicate cache is dropped (decode failure,
 * overload, store failure), so the cache forgets it and the NAS's retransmission is processed afresh. Never
 * reaches the socket.
 *
 * @param sender         the request's source
 * @param code           the request's code
 * @param identifier     the request's identifier
 * @param authenticator  the request's authenticator
 */
public record NoReply(InetSocketAddress sender, int code, int identifier, byte[] authenticator) {

    public static NoReply of(InboundPacket p) {
        return new NoReply(p.sender(), p.code(), p.identifier(), p.authenticator());
    }

    public static NoReply of(RadiusRequest r) {
        return new NoReply(r.sender(), r.code(), r.identifier(), r.authenticator());
    }
}
