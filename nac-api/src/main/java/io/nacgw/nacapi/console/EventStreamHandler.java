package io.nacgw.nacapi.console;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.Paths;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Answers the console's live streams as server-sent events, after authentication: {@code GET
 * /api/v1/decisions/stream} (each decision the audit log writes, as {@code data:} JSON; {@code event: dropped} when
 * this client fell behind and lost some) and {@code GET /api/v1/overview/stream} (the overview every
 * {@link #OVERVIEW_EVERY_MS} ms). The connection is the stream's: it ends when the client goes.
 *
 * <p>Lossy by design: the decision feed hands each client a bounded queue, and this handler drains it on the event
 * loop only while the socket is writable. A slow client's queue fills and it loses events (counted); RADIUS never
 * waits for a browser.
 */
public final class EventStreamHandler extends ChannelInboundHandlerAdapter {
    static final int QUEUE = 1024;
    static final int BATCH = 256;
    static final long TICK_MS = 200;
    static final long OVERVIEW_EVERY_MS = 2000;
    static final long HEARTBEAT_MS = 15_000;

    private final ConsoleServices console;
    private final Executor workers;
    /** A comment line this often keeps an idle stream from being closed as idle ({@code api.idleTimeout}). */
    private final long heartbeatNanos;
    private boolean streaming;
    private DecisionFeed.Subscription subscription;
    private ScheduledFuture<?> ticker;
    private long lastWrite;
    private long reportedDrops;
    private boolean overviewRunning;

    public EventStreamHandler(ConsoleServices console, Executor workers, java.time.Duration idleTimeout) {
        this.console = console;
        this.workers = workers;
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(HEARTBEAT_MS, idleTimeout.toMillis() / 3));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (streaming) { // the stream owns the connection: nothing after its request is read
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpRequest) || !ConsoleApi.isStream(((HttpRequest) msg).method(),
                Paths.path(((HttpRequest) msg).uri()))) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpRequest req = (HttpRequest) msg;
        boolean decisions = Paths.path(req.uri()).equals(ConsoleApi.DECISION_STREAM);
        ReferenceCountUtil.release(msg); // a GET: any (empty) content that follows is released above
        streaming = true;
        ctx.write(HttpResponses.eventStreamHead(!(ctx.channel() instanceof Http2StreamChannel)));
        send(ctx, "retry: 3000\n: nacgw " + (decisions ? "decisions" : "overview") + "\n\n");
        long every;
        if (decisions) {
            subscription = console.decisions().subscribe(QUEUE);
            every = TICK_MS;
        } else {
            every = OVERVIEW_EVERY_MS;
            overview(ctx);
        }
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx, decisions), every, every, TimeUnit.MILLISECONDS);
    }

    private void tick(ChannelHandlerContext ctx, boolean decisions) {
        if (!ctx.channel().isActive()) {
            stop();
            return;
        }
        if (decisions) {
            drain(ctx);
        } else {
            overview(ctx);
        }
        if (System.nanoTime() - lastWrite > heartbeatNanos) {
            send(ctx, ": keep-alive\n\n");
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            return; // the client is behind: leave the lines queued; the feed drops beyond the queue
        }
        StringBuilder sb = new StringBuilder();
        long drops = subscription.dropped();
        if (drops > reportedDrops) {
            sb.append("event: dropped\ndata: {\"dropped\":").append(drops).append("}\n\n");
            reportedDrops = drops;
        }
        String line;
        for (int n = 0; n < BATCH && (line = subscription.poll()) != null; n++) {
            sb.append("data: ").append(line).append("\n\n");
        }
        if (sb.length() > 0) {
            send(ctx, sb.toString());
        }
    }

    private void overview(ChannelHandlerContext ctx) {
        AdminOperation op = console.operations().get(AdminOperation.OVERVIEW);
        if (op == null || overviewRunning || !ctx.channel().isWritable()) {
            return;
        }
        overviewRunning = true;
        try {
            workers.execute(() -> {
                String json;
                try {
                    MetricsServer.Reply r = op.handle(Map.of(), new byte[0]);
                    json = r.status() == 200 ? r.json() : null;
                } catch (RuntimeException e) {
                    json = null;
                }
                String data = json;
                ctx.executor().execute(() -> {
                    overviewRunning = false;
                    if (data != null && ctx.channel().isActive()) {
                        send(ctx, "event: overview\ndata: " + data.replace("\n", "") + "\n\n");
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            overviewRunning = false; // busy: the next tick tries again
        }
    }

    private void send(ChannelHandlerContext ctx, String text) {
        ByteBuf b = ctx.alloc().buffer(text.length() + 16);
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        ctx.writeAndFlush(new DefaultHttpContent(b));
        lastWrite = System.nanoTime();
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
