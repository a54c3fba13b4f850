package io.nacgw.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;

/**
 * One RadSec source: a TLS connection whose stream is cut into RADIUS packets by their Length field and handed to
 * the same {@link SourcePort} the UDP sources use (as datagrams from the target), so identifiers, checks and
 * statistics are shared code. Packets the port writes go onto the TLS stream as they are.
 */
final class RadSecConnection {
    private static final int MAX_PACKET = 4096;

    private RadSecConnection() {
    }

    /** Connects and completes the TLS handshake (before the run's clock starts). */
    static Channel open(EventLoopGroup group, boolean epoll, StreamTls tls, InetSocketAddress target, SourcePort port)
            throws InterruptedException {
        SslContext context = tls.context();
        Channel ch = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new SslHandler(context.newEngine(c.alloc(),
                                        target.getAddress().getHostAddress(), target.getPort())))
                                // Length at offset 2, counting the whole packet: a Length below 20 or above 4096
                                // fails the connection (every outstanding request then times out and is counted)
                                .addLast(new LengthFieldBasedFrameDecoder(MAX_PACKET, 2, 2, -4, 0))
                                .addLast(new AsDatagram(target))
                                .addLast(port);
                    }
                })
                .connect(target).sync().channel();
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (!ssl.handshakeFuture().await().isSuccess()) {
            ch.close();
            throw new IllegalStateException("RadSec TLS handshake with " + target + " failed: "
                    + ssl.handshakeFuture().cause(), ssl.handshakeFuture().cause());
        }
        return ch;
    }

    /** A frame of the stream as a datagram from the server, the form {@link SourcePort} reads. */
    private static final class AsDatagram extends SimpleChannelInboundHandler<ByteBuf> {
        private final InetSocketAddress server;

        AsDatagram(InetSocketAddress server) {
            super(false);
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            ctx.fireChannelRead(new DatagramPacket(frame, (InetSocketAddress) ctx.channel().localAddress(), server));
        }
    }
}
