package io.nacgw.radius.radsec;

import io.nacgw.certs.ServerTls;
import io.nacgw.radius.codec.RadSecFrameDecoder;
import io.nacgw.radius.server.ServerComponents;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import javax.net.ssl.SSLEngine;
import java.util.concurrent.TimeUnit;

/**
 * The path of one RadSec connection, in order:
 * <pre>
 *   (limit)        over radius.radsec.maxConnections → closed before TLS, counted
 *   tls            TLS 1.2/1.3, client certificate required (nacgw CA role nas, or radius.radsec.trustedCaFiles),
 *                  CRLs; radius.radsec.handshakeTimeout
 *   idle           radius.radsec.idleTimeout without a packet either way → closed
 *   frames         the stream → one byte[] per RADIUS packet by its Length field; bad Length → closed
 *   nas            certificate name → radius.clients entry (else closed); byte[] → InboundPacket with the RadSec
 *                  secret; OutboundPacket → bytes
 *   admission      reading paused while radius.radsec.maxInFlightPerConnection (or, over all connections,
 *                  maxInFlight) requests are unanswered, or while replies back up ({@link RequestAdmission})
 *   structure … accounting   the UDP server's request path ({@link ServerComponents#addStreamRequestPath})
 *   errors         a peer's I/O or TLS error closes its connection; our bugs are logged
 * </pre>
 */
final class RadSecInitializer extends ChannelInitializer<Channel> {
    private final RadSecSettings settings;
    private final ServerTls tls;
    private final ServerComponents components;
    private final RadSecCounters counters;
    private final ConnectionErrors errors;
    private final ConnectionLimit limit;
    private final RadSecLinks links;
    private final RequestAdmission.Limits inFlight;

    /** Admission by connection count; also the set of open connections (for shutdown and revocation checks). */
    interface ConnectionLimit {
        boolean admit(Channel ch);
    }

    RadSecInitializer(RadSecSettings settings, ServerTls tls, ServerComponents components, RadSecCounters counters,
                      ConnectionLimit limit, RadSecLinks links, RequestAdmission.Limits inFlight) {
        this.links = links;
        this.inFlight = inFlight;
        this.settings = settings;
        this.tls = tls;
        this.components = components;
        this.counters = counters;
        this.limit = limit;
        this.errors = new ConnectionErrors(components.counters(), counters);
    }

    /** A server engine of {@code tls} (TLS 1.2 and 1.3 only, see {@link ServerTls}), client certificate required. */
    static SSLEngine engine(ServerTls tls) {
        SSLEngine engine = tls.newEngine();
        engine.setNeedClientAuth(true);
        return engine;
    }

    @Override
    protected void initChannel(Channel ch) {
        counters.accepted.increment();
        if (!limit.admit(ch)) {
            return;
        }
        SslHandler ssl = new SslHandler(engine(tls));
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        NasSession nas = new NasSession(components::registry, components.counters(), counters, links);
        ChannelPipeline p = ch.pipeline();
        p.addLast("tls", ssl)
                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("frames", new RadSecFrameDecoder(new RadSecFrameDecoder.Listener() {
                    @Override
                    public void badLength(ChannelHandlerContext ctx, int length) {
                        counters.closed(CloseReason.BAD_LENGTH, ch.remoteAddress(), "RADIUS Length field " + length
                                + " (must be 20-4096)");
                    }

                    @Override
                    public void truncated(ChannelHandlerContext ctx, int bufferedBytes) {
                        counters.truncated.increment();
                    }
                }))
                .addLast("nas", nas)
                .addLast("admission", new RequestAdmission(inFlight));
        components.addStreamRequestPath(p, nas);
        p.addLast("errors", errors);
    }
}
