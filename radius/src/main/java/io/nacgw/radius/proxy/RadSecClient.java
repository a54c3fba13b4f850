package io.nacgw.radius.proxy;

import io.nacgw.certs.ClientTls;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadSec;
import io.nacgw.radius.codec.RadSecFrameDecoder;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.StructureValidator;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One RadSec client connection (RFC 6614): TLS with a client certificate, RADIUS packets framed by their Length,
 * up to 256 requests outstanding, replies matched by identifier (in any order) and verified (Response
 * Authenticator and Message-Authenticator with the secret {@code radsec}), Status-Server for keep-alive and health.
 * A reply that fails verification closes the connection (RFC 6613 §2.6.4) and fails every outstanding request;
 * a request unanswered within its timeout fails with {@link RadSecException} and frees its identifier.
 *
 * <pre>
 *   RadSecClient c = RadSecClient.connect(server, tls, nioGroup, Duration.ofSeconds(5)).join();
 *   byte[] reply = c.send(RadiusCode.ACCESS_REQUEST, attributes, Duration.ofSeconds(5)).join();
 *   c.statusServer(Duration.ofSeconds(5)).join();
 *   c.close();
 * </pre>
 * Thread-safe: every method may be called from any thread; futures complete on the connection's event loop, so
 * their continuations must not block.
 */
public final class RadSecClient implements AutoCloseable {
    private static final int IDS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Channel channel;
    private final InetSocketAddress server;
    /** Touched only on the event loop. */
    private final Pending[] pending = new Pending[IDS];
    private int nextId = RANDOM.nextInt(IDS);
    private int outstanding;
    /** Answers CoA-Request / Disconnect-Request the server sends on this connection (RFC 6614 §2.5), or null. */
    private volatile Function<byte[], byte[]> serverRequests;

    private static final class Pending {
        final byte[] request;
        final CompletableFuture<byte[]> reply;
        ScheduledFuture<?> timeout;

        Pending(byte[] request, CompletableFuture<byte[]> reply) {
            this.request = request;
            this.reply = reply;
        }
    }

    /** A RadSec failure: timeout, connection closed, identifiers exhausted, a reply that did not verify. */
    public static final class RadSecException extends IOException {
        private static final long serialVersionUID = 1L;

        public RadSecException(String message) {
            super(message);
        }

        public RadSecException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RadSecClient(Channel channel, InetSocketAddress server) {
        this.channel = channel;
        this.server = server;
    }

    /**
     * Connects and completes the TLS handshake; {@code group} must be an NIO event loop group. {@code tls} presents
     * the client certificate and checks the server's certificate and name ({@code server}'s host string).
     */
    public static CompletableFuture<RadSecClient> connect(InetSocketAddress server, ClientTls tls, EventLoopGroup group,
                                                          Duration timeout) {
        CompletableFuture<RadSecClient> result = new CompletableFuture<>();
        RadSecClient[] holder = new RadSecClient[1];
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler ssl = new SslHandler(tls.newEngine(server.getHostString(), server.getPort()));
                        ssl.setHandshakeTimeoutMillis(timeout.toMillis());
                        RadSecClient c = new RadSecClient(ch, server);
                        holder[0] = c;
                        ch.pipeline().addLast("tls", ssl)
                                .addLast("frames", new RadSecFrameDecoder(new RadSecFrameDecoder.Listener() {
                                    @Override
                                    public void badLength(ChannelHandlerContext ctx, int length) {
                                        c.failAll(new RadSecException("server sent a RADIUS Length of " + length));
                                    }

                                    @Override
                                    public void truncated(ChannelHandlerContext ctx, int bufferedBytes) {
                                        // the close fails whatever is outstanding
                                    }
                                }))
                                .addLast("replies", c.new Replies());
                        ssl.handshakeFuture().addListener(f -> {
                            if (f.isSuccess()) {
                                result.complete(c);
                            } else {
                                result.completeExceptionally(new RadSecException("TLS handshake with " + server
                                        + " failed: " + f.cause(), f.cause()));
                                ch.close();
                            }
                        });
                    }
                });
        b.connect(server).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RadSecException("cannot connect to " + server + ": " + f.cause(),
                        f.cause()));
            }
        });
        return result;
    }

    /**
     * Sends a request built and signed here: Access-Request or Status-Server with a random authenticator (a clear
     * User-Password is hidden), Accounting-Request with its computed authenticator; Message-Authenticator first.
     * Completes with the verified reply's bytes.
     */
    public CompletableFuture<byte[]> send(int code, List<Attribute> attributes, Duration timeout) {
        return send(id -> RadiusCodec.encodeRequest(code, id, attributes, RadSec.SECRET, RANDOM), timeout);
    }

    /**
     * Sends a request the caller builds for the identifier it is given (signed with {@link RadSec#SECRET}), e.g. a
     * proxied request re-signed for this hop. Completes with the verified reply's bytes.
     */
    public CompletableFuture<byte[]> send(IntFunction<byte[]> packetForIdentifier, Duration timeout) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        channel.eventLoop().execute(() -> start(packetForIdentifier, timeout, reply));
        return reply;
    }

    /** Status-Server (RFC 5997): completes with the server's reply (Access-Accept) when it is alive. */
    public CompletableFuture<byte[]> statusServer(Duration timeout) {
        return send(RadiusCode.STATUS_SERVER, List.of(), timeout);
    }

    private void start(IntFunction<byte[]> build, Duration timeout, CompletableFuture<byte[]> reply) {
        if (!channel.isActive()) {
            reply.completeExceptionally(new RadSecException("connection to " + server + " is closed"));
            return;
        }
        int id = freeIdentifier();
        if (id < 0) {
            reply.completeExceptionally(new RadSecException(IDS + " requests outstanding on the connection to " + server));
            return;
        }
        byte[] packet;
        try {
            packet = build.apply(id);
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
            return;
        }
        if (packet == null || packet.length < RadiusCrypto.HEADER_LENGTH || (packet[1] & 0xFF) != id
                || RadiusCrypto.lengthField(packet) != packet.length) {
            reply.completeExceptionally(new IllegalArgumentException("the packet must have identifier " + id
                    + " and a Length equal to its size"));
            return;
        }
        Pending p = new Pending(packet, reply);
        pending[id] = p;
        outstanding++;
        p.timeout = channel.eventLoop().schedule(() -> {
            if (pending[id] == p) {
                pending[id] = null;
                outstanding--;
                reply.completeExceptionally(new RadSecException("no reply from " + server + " within " + timeout));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        channel.writeAndFlush(Unpooled.wrappedBuffer(packet)).addListener(f -> {
            if (!f.isSuccess() && pending[id] == p) {
                pending[id] = null;
                outstanding--;
                p.timeout.cancel(false);
                reply.completeExceptionally(new RadSecException("cannot send to " + server + ": " + f.cause(), f.cause()));
            }
        });
    }

    /** The next unused identifier after the last one handed out (least recently used first), or -1. */
    private int freeIdentifier() {
        for (int i = 0; i < IDS; i++) {
            int id = (nextId + i) & 0xFF;
            if (pending[id] == null) {
                nextId = (id + 1) & 0xFF;
                return id;
            }
        }
        return -1;
    }

    /**
     * Lets the server send CoA-Request and Disconnect-Request on this connection (RFC 6614 §2.5, as a NAS does):
     * {@code handler} gets each one's bytes on the event loop and returns the answer's bytes to write, or null to
     * leave it unanswered. Without a handler they are discarded (counted as unexpected).
     */
    public void answerServerRequests(Function<byte[], byte[]> handler) {
        this.serverRequests = handler;
    }

    /** Requests sent and not yet answered (approximate when read off the event loop). */
    public int outstanding() {
        return outstanding;
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** Completes when the connection closes (either side). */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(x -> f.complete(null));
        return f;
    }

    /** This end of the connection. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Writes raw bytes on the TLS stream (tests of a server's handling of broken streams). */
    public ChannelFuture writeRaw(byte[] bytes) {
        return channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private void failAll(RadSecException e) {
        for (int id = 0; id < IDS; id++) {
            Pending p = pending[id];
            if (p != null) {
                pending[id] = null;
                outstanding--;
                p.timeout.cancel(false);
                p.reply.completeExceptionally(e);
            }
        }
    }

    private final class Replies extends SimpleChannelInboundHandler<byte[]> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] d) {
            int packetCode = d[0] & 0xFF;
            if (packetCode == RadiusCode.COA_REQUEST || packetCode == RadiusCode.DISCONNECT_REQUEST) {
                Function<byte[], byte[]> h = serverRequests;
                byte[] answer = h == null ? null : h.apply(d);
                if (answer != null) { // else no handler: dropped
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
                }
                return;
            }
            String problem = StructureValidator.checkReply(d, code -> true);
            int id = d[1] & 0xFF;
            Pending p = pending[id];
            if (problem == null && p == null) { // late (after its timeout) or never asked for: dropped
                return;
            }
            byte[] auth = Arrays.copyOfRange(p == null ? d : p.request, RadiusCrypto.AUTH_OFFSET,
                    RadiusCrypto.AUTH_OFFSET + RadiusCrypto.AUTH_LENGTH);
            if (problem == null && !RadiusCrypto.verifyResponse(RadSec.SECRET, d, auth)) {
                problem = "Response Authenticator does not verify";
            }
            int ma = problem == null ? RadiusCrypto.find(d, AttributeType.MESSAGE_AUTHENTICATOR) : -1;
            if (ma >= 0 && !RadiusCrypto.verifyReplyMessageAuthenticator(RadSec.SECRET, d, ma, auth)) {
                problem = "Message-Authenticator does not verify";
            }
            if (problem != null) {
                failAll(new RadSecException("bad reply from " + server + " (" + problem + "); connection closed"));
                ctx.close();
                return;
            }
            pending[id] = null;
            outstanding--;
            p.timeout.cancel(false);
            p.reply.complete(d);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAll(new RadSecException("connection to " + server + " closed"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failAll(new RadSecException("connection to " + server + " failed: " + cause, cause));
            ctx.close();
        }
    }
}
