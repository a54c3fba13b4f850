package io.nacgw.radius.proxy;

import io.nacgw.radius.codec.Attribute;

import java.util.List;

/**
 * What came of forwarding one Access-Request.
 *
 * @param kind        answered, or why not
 * @param code        the upstream's reply code (Access-Accept, -Reject, -Challenge) when answered, else 0
 * @param attributes  the reply's attributes ready for the NAS (see {@link ProxyPackets#forNas}); empty otherwise
 * @param upstream    the upstream that answered (or was tried last), or null when none could be tried
 */
public record ProxyAnswer(Kind kind, int code, List<Attribute> attributes, String upstream) {
    /** The outcome of a forwarded request. */
    public enum Kind {
        /** An authentic reply from an upstream. */
        ANSWERED,
        /** Every upstream of the pool is dead (or busy): nothing was sent. */
        NO_UPSTREAM,
        /** No authentic reply within the pool's timeout, after retransmissions and failover. */
        TIMEOUT,
        /** The request would exceed 4096 bytes with nacgw's Proxy-State and Message-Authenticator. */
        TOO_LARGE
    }

    public ProxyAnswer {
        attributes = List.copyOf(attributes);
    }

    static ProxyAnswer failed(Kind kind, String upstream) {
        return new ProxyAnswer(kind, 0, List.of(), upstream);
    }
}
