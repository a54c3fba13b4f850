package io.nacgw.radius.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The request path of one service port, in order. Every handler but the first is shared by all channels of the port.
 * <pre>
 *   flush          replies written while a batch of datagrams is read go out together when the batch ends
 *   datagram       DatagramPacket ⇄ InboundPacket / OutboundPacket (the socket edge)
 *   admission      sizes the receive buffer to radius.maxQueueDelay; over radius.maxRequestsPerSecond → drop
 *   client         unknown source address → drop, before any parsing
 *   structure      lengths, attributes, vendor sub-attributes, code allowed on this port → else drop
 *   authenticator  Message-Authenticator / Request Authenticator on the raw bytes, picks the secret → else drop
 *   duplicates     RFC 5080: answered → resend cached reply; in progress → drop (Status-Server bypasses)
 *   codec          InboundPacket → RadiusRequest (tinyradius); RadiusResponse → signed bytes, MA first
 *   status         Status-Server → Access-Accept / Accounting-Response
 *   service        Access-Request → decide; or Accounting-Request → session table, then reply
 *   errors         count and log whatever escaped; never close the channel
 * </pre>
 * The flush handler is the channel's own (it counts the batch); a reply written outside a read (an index miss
 * answered later, an accounting commit) is flushed at once. With epoll, replies flushed together leave in one
 * sendmmsg instead of one sendto each.
 */
public final class RadiusInitializer extends ChannelInitializer<Channel> {
    /** Replies held at most within one read batch before a flush anyway (the epoll read takes up to 16 at a time). */
    static final int MAX_REPLIES_PER_FLUSH = 64;

    private final ChannelHandler datagram;
    private final ChannelHandler admission;
    private final ChannelHandler client;
    private final ChannelHandler structure;
    private final ChannelHandler authenticator;
    private final ChannelHandler duplicates;
    private final ChannelHandler codec;
    private final ChannelHandler status;
    private final ChannelHandler service;
    private final ChannelHandler errors;

    RadiusInitializer(ChannelHandler datagram, ChannelHandler admission, ChannelHandler client, ChannelHandler structure,
                      ChannelHandler authenticator, ChannelHandler duplicates, ChannelHandler codec,
                      ChannelHandler status, ChannelHandler service, ChannelHandler errors) {
        this.datagram = datagram;
        this.admission = admission;
        this.client = client;
        this.structure = structure;
        this.authenticator = authenticator;
        this.duplicates = duplicates;
        this.codec = codec;
        this.status = status;
        this.service = service;
        this.errors = errors;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(MAX_REPLIES_PER_FLUSH, false))
                .addLast("datagram", datagram)
                .addLast("admission", admission)
                .addLast("client", client)
                .addLast("structure", structure)
                .addLast("authenticator", authenticator)
                .addLast("duplicates", duplicates)
                .addLast("codec", codec)
                .addLast("status", status)
                .addLast("service", service)
                .addLast("errors", errors);
    }
}
