package io.nacgw.radius.radsec;

import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.RadSec;
import io.nacgw.radius.codec.RadSecFrameDecoder;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.proxy.RadSecClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

import static io.nacgw.radius.radsec.RadSecFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RadSecClient} against misbehaving servers: silence, forged replies, identifiers exhausted. */
final class RadSecClientTest {
    @TempDir
    Path dir;

    /** A TLS server with nacgw's server certificate whose answer to each packet {@code reply} decides. */
    private static Channel fakeServer(RadSecFixture f, BiConsumer<ChannelHandlerContext, byte[]> reply) {
        return new ServerBootstrap().group(f.group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new SslHandler(RadSecInitializer.engine(f.tls)))
                                .addLast(new RadSecFrameDecoder(new RadSecFrameDecoder.Listener() {
                                    @Override
                                    public void badLength(ChannelHandlerContext ctx, int length) {
                                    }

                                    @Override
                                    public void truncated(ChannelHandlerContext ctx, int bufferedBytes) {
                                    }
                                }))
                                .addLast(new SimpleChannelInboundHandler<byte[]>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, byte[] p) {
                                        reply.accept(ctx, p);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    private static RadSecClient connect(RadSecFixture f, Channel server) {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
        return RadSecClient.connect(at, f.clientTls(f.nasCert), f.group, WAIT).join();
    }

    @Test
    void noReply_failsAfterTheTimeout_andFreesTheIdentifier() {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            Channel server = fakeServer(f, (ctx, p) -> { });
            try (RadSecClient c = connect(f, server)) {
                CompletionException e = assertThrows(CompletionException.class,
                        () -> c.statusServer(Duration.ofMillis(200)).join());
                assertInstanceOf(RadSecClient.RadSecException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("no reply"), e.getCause().getMessage());
                assertEquals(0, c.outstanding());
                assertTrue(c.isOpen(), "a timeout does not close the connection");
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    @Test
    void forgedReply_failsEveryOutstandingRequest_andClosesTheConnection() {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            Channel server = fakeServer(f, (ctx, p) -> {
                byte[] r = new byte[20];
                r[0] = RadiusCode.ACCESS_ACCEPT;
                r[1] = p[1];
                r[3] = 20; // zero authenticator: not signed with "radsec"
                ctx.writeAndFlush(Unpooled.wrappedBuffer(r));
            });
            try (RadSecClient c = connect(f, server)) {
                CompletionException e = assertThrows(CompletionException.class,
                        () -> RadSecFixture.accessRequest(c, TestWorld.COMPLIANT));
                assertTrue(e.getCause().getMessage().contains("Response Authenticator"), e.getCause().getMessage());
                c.closeFuture().orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
                assertFalse(c.isOpen());
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    @Test
    void moreThan256Outstanding_theNextFailsAtOnce() {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            Channel server = fakeServer(f, (ctx, p) -> { });
            try (RadSecClient c = connect(f, server)) {
                List<CompletableFuture<byte[]>> pending = new ArrayList<>();
                for (int i = 0; i < 256; i++) {
                    pending.add(c.statusServer(WAIT));
                }
                CompletionException e = assertThrows(CompletionException.class, () -> c.statusServer(WAIT).join());
                assertTrue(e.getCause().getMessage().contains("256 requests outstanding"), e.getCause().getMessage());
                assertEquals(256, c.outstanding());
                c.close();
                for (CompletableFuture<byte[]> p : pending) {
                    assertThrows(CompletionException.class, p::join, "closing fails what is outstanding");
                }
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    @Test
    void repliesInReverseOrder_areMatchedByIdentifier() {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            List<byte[]> held = new ArrayList<>();
            Channel server = fakeServer(f, (ctx, p) -> {
                held.add(p);
                if (held.size() == 10) { // answer the last first
                    for (int i = held.size() - 1; i >= 0; i--) {
                        byte[] req = held.get(i);
                        byte[] r = new byte[20];
                        r[0] = (byte) (i % 2 == 0 ? RadiusCode.ACCESS_ACCEPT : RadiusCode.ACCESS_REJECT);
                        r[1] = req[1];
                        r[3] = 20;
                        io.nacgw.radius.codec.RadiusCrypto.signResponse(RadSec.SECRET, r,
                                java.util.Arrays.copyOfRange(req, 4, 20), -1);
                        ctx.write(Unpooled.wrappedBuffer(r));
                    }
                    ctx.flush();
                }
            });
            try (RadSecClient c = connect(f, server)) {
                List<CompletableFuture<byte[]>> all = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    all.add(c.send(RadiusCode.ACCESS_REQUEST, RadSecFixture.mab(TestWorld.COMPLIANT), WAIT));
                                    }
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(i % 2 == 0 ? RadiusCode.ACCESS_ACCEPT : RadiusCode.ACCESS_REJECT,
                            all.get(i).join()[0] & 0xFF, "request " + i);
                }
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }
}
