package io.nacgw.loadgen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double HTTPS NAC API on 127.0.0.1:0: answers ISE MDM API v2/v3 device queries and JSON lookups from the
 * synthetic truth in the shapes nac-api uses (ISE: {@code <deviceList/>} or {@code <compliance><status>}; JSON:
 * {@code "found"} and {@code "decision":{"verdict":...}}), requires a client certificate and optionally HTTP Basic,
 * or misbehaves in one chosen way.
 */
public final class FakeApiServer implements AutoCloseable {
    public enum Fault { NONE, FLIP_VERDICT, SILENT, SERVER_ERROR }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Map<Long, TargetClass> truth = new HashMap<>();
    private final Expectations answers;
    private final Fault fault;
    private final String authorization;
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();

    public FakeApiServer(Path cert, Path key, Path trustedClientCert, SyntheticDevices devices, Expectations answers,
                         Fault fault, String basicUserPassword) throws Exception {
        for (int i = 0; i < devices.count(); i++) {
            truth.put(Targets.toLong(devices.primaryMac(i)), TargetClass.of(devices.classOf(i)));
        }
        this.answers = answers;
        this.fault = fault;
        this.authorization = basicUserPassword == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString(basicUserPassword.getBytes(StandardCharsets.UTF_8));
        SslContext ssl = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .trustManager(trustedClientCert.toFile()).clientAuth(ClientAuth.REQUIRE).build();
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        io.netty.handler.ssl.SslHandler tls = ssl.newHandler(ch.alloc());
                        ch.pipeline().addLast(tls, new HttpServerCodec(),
                                new HttpObjectAggregator(65536), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            if (fault == Fault.SILENT) {
                return;
            }
            if (authorization != null && !authorization.equals(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"title\":\"unauthorized\"}");
                return;
            }
            if (fault == Fault.SERVER_ERROR) {
                respond(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "{}");
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            boolean ise = q.path().startsWith("/ciscoise/mdmapi/v");
            String macText = ise ? q.parameters().get("value").get(0) : q.parameters().get("mac").get(0);
            long mac = Long.parseLong(macText.replace(":", ""), 16);
            TargetClass c = truth.getOrDefault(mac, TargetClass.UNKNOWN);
            Expected e = answers.of(c);
            String verdict = e.equals(answers.of(TargetClass.COMPLIANT)) ? "allow" : e.accept() ? "quarantine" : "deny";
            if (fault == Fault.FLIP_VERDICT) {
                verdict = verdict.equals("allow") ? "deny" : "allow";
            }
            String body;
            if (ise) {
                body = c == TargetClass.UNKNOWN
                        ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ise_api><name>attributes</name><deviceList/></ise_api>"
                        : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ise_api><name>attributes</name><deviceList><device>"
                        + "<macaddress>" + macText.replace(":", "").toLowerCase() + "</macaddress><attributes>"
                        + "<register_status>" + (c != TargetClass.UNMANAGED) + "</register_status><compliance><status>"
                        + verdict.equals("allow") + "</status></compliance></attributes></device></deviceList></ise_api>";
            } else {
                body = "{\"identifier\":{\"kind\":\"mac\",\"value\":\"" + macText + "\"},\"found\":" + (c != TargetClass.UNKNOWN)
                        + ",\"decision\":{\"profile\":\"corp-wifi\",\"verdict\":\"" + verdict + "\"}}";
            }
            respond(ctx, req, HttpResponseStatus.OK, body);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // e.g. a client that does not trust our certificate: expected in one test
        }

        private void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            boolean keep = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(r, keep);
            if (keep) {
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
