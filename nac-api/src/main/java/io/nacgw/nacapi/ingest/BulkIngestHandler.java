package io.nacgw.nacapi.ingest;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.ErrorMapper;
import io.nacgw.nacapi.ErrorResponses;
import io.nacgw.nacapi.JsonWriter;
import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.nacapi.json.JsonApi;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.log.LogThrottle;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.UpsertOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /api/v1/devices:bulk}: NDJSON, one device per line, parsed as the chunks arrive (never aggregated)
 * and upserted in batches on a worker. While a batch commits, the next one fills; when that one is full too,
 * reading stops (auto-read off) until the commit is done, so a fast sender is held back by the database rather
 * than by memory. The answer, sent after the last commit, counts outcomes and lists bad lines by number. If the
 * client goes away mid-stream, only whole batches were committed; how far it got is logged and counted.
 */
public final class BulkIngestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BulkIngestHandler.class);
    private static final LogThrottle CUT_OFF_LOG = LogThrottle.every(Duration.ofSeconds(10));
    static final int MAX_REPORTED = 1000;
    private static final String[] BULK_SEGMENTS = Paths.segments(JsonApi.BULK_PATH);

    private final ComplianceService service;
    private final Executor workers;
    private final int batchSize;
    private final ApiMetrics metrics;

    private boolean active;
    private boolean keepAlive;
    private boolean ended;
    private boolean inFlight;
    private boolean skippingLongLine;
    private boolean failed;
    private CompositeByteBuf pending;
    private List<DeviceRecord> batch;
    private List<Integer> batchLines;
    private long line;
    private long committedThroughLine;
    private long received;
    private long inserted;
    private long updated;
    private long stale;
    private long invalid;
    private final List<String[]> errors = new ArrayList<>();
    private final List<Long> staleLines = new ArrayList<>();
    private final ArrayDeque<Object> after = new ArrayDeque<>();

    public BulkIngestHandler(ComplianceService service, Executor workers, int batchSize, ApiMetrics metrics) {
        this.service = service;
        this.workers = workers;
        this.batchSize = batchSize;
        this.metrics = metrics;
    }

    /**
     * True for a POST the router would match to the bulk route, with the router's own path rules (escapes decoded,
     * trailing slash ignored): a spelling it routes but this handler missed would reach the router unstreamed.
     */
    public static boolean isBulk(HttpRequest req) {
        if (!req.method().equals(HttpMethod.POST)) {
            return false;
        }
        String path = Paths.path(req.uri());
        return path.startsWith(JsonApi.BASE + "/") && Arrays.equals(Paths.segments(path), BULK_SEGMENTS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (active) {
            if (msg instanceof HttpContent && after.isEmpty()) {
                content(ctx, (HttpContent) msg);
            } else {
                after.add(msg); // a pipelined request (and its body): answered after this one
            }
            return;
        }
        if (msg instanceof HttpRequest && isBulk((HttpRequest) msg) && ((HttpRequest) msg).decoderResult().isSuccess()) {
            begin(ctx, (HttpRequest) msg);
            if (msg instanceof HttpContent) {
                content(ctx, (HttpContent) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req) {
        String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
        active = true;
        keepAlive = HttpUtil.isKeepAlive(req);
        ended = false;
        failed = false;
        skippingLongLine = false;
        line = committedThroughLine = received = inserted = updated = stale = invalid = 0;
        errors.clear();
        staleLines.clear();
        batch = new ArrayList<>(batchSize);
        batchLines = new ArrayList<>(batchSize);
        pending = ctx.alloc().compositeBuffer(64);
        metrics.bulkRequests.increment();
        if (!(ct.startsWith("application/x-ndjson") || ct.startsWith("application/ndjson")
                || ct.startsWith("application/jsonl") || ct.startsWith("application/json"))) {
            fail(ctx, 415, "send Content-Type: application/x-ndjson (one JSON device per line)",
                    HttpUtil.is100ContinueExpected(req));
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(HttpResponses.continueInterim());
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent c) {
        try {
            if (failed) {
                if (c instanceof LastHttpContent) {
                    reset(ctx);
                }
                return;
            }
            if (c.content().isReadable()) {
                pending.addComponent(true, c.content().retain());
            }
            if (c instanceof LastHttpContent) {
                ended = true;
            }
        } finally {
            c.release();
        }
        if (!failed) {
            parse(ctx);
        }
    }

    /** Parses whole lines while the filling batch has room; submits, pauses or finishes as needed. */
    private void parse(ChannelHandlerContext ctx) {
        while (true) {
            if (batch.size() >= batchSize) {
                if (inFlight) {
                    ctx.channel().config().setAutoRead(false);
                    return;
                }
                submit(ctx);
                continue;
            }
            int lf = pending.forEachByte(ByteProcessor.FIND_LF);
            if (lf < 0) {
                if (pending.readableBytes() > DeviceJson.MAX_RECORD_BYTES && !skippingLongLine) {
                    line++;
                    error(line, "line is longer than " + DeviceJson.MAX_RECORD_BYTES + " bytes");
                    skippingLongLine = true;
                }
                if (skippingLongLine) {
                    pending.skipBytes(pending.readableBytes());
                }
                if (ended) {
                    if (!skippingLongLine && pending.isReadable()) {
                        line(pending.readBytes(pending.readableBytes()));
                        continue; // the final line may have filled the batch
                    }
                    if (!batch.isEmpty() && !inFlight) {
                        submit(ctx);
                    } else if (!inFlight) {
                        finish(ctx);
                    }
                    return;
                }
                pending.discardReadComponents();
                ctx.channel().config().setAutoRead(true);
                return;
            }
            ByteBuf l = pending.readBytes(lf - pending.readerIndex());
            pending.skipBytes(1);
            if (skippingLongLine) {
                skippingLongLine = false; // the rest of the over-long line, already reported
                l.release();
                continue;
            }
            line(l);
        }
    }

    private void line(ByteBuf raw) {
        line++;
        try {
            int len = raw.readableBytes();
            if (len > 0 && raw.getByte(raw.writerIndex() - 1) == '\r') {
                raw.writerIndex(raw.writerIndex() - 1);
                len--;
            }
            if (len > DeviceJson.MAX_RECORD_BYTES) {
                error(line, "line is longer than " + DeviceJson.MAX_RECORD_BYTES + " bytes");
                return;
            }
            byte[] bytes = new byte[len];
            raw.readBytes(bytes);
            if (isBlank(bytes)) {
                return;
            }
            received++;
            try {
                batch.add(DeviceJson.parse(bytes));
                batchLines.add((int) Math.min(Integer.MAX_VALUE, line));
            } catch (IllegalArgumentException e) {
                error(line, e.getMessage());
            }
        } finally {
            raw.release();
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    private void error(long lineNo, String message) {
        invalid++;
        if (errors.size() < MAX_REPORTED) {
            errors.add(new String[] {Long.toString(lineNo), message});
        }
    }

    private void submit(ChannelHandlerContext ctx) {
        List<DeviceRecord> records = batch;
        List<Integer> lines = batchLines;
        long lastLine = line;
        batch = new ArrayList<>(batchSize);
        batchLines = new ArrayList<>(batchSize);
        inFlight = true;
        CompletableFuture<List<UpsertOutcome>> f;
        try {
            f = CompletableFuture.supplyAsync(() -> service.upsertAll(records), workers);
        } catch (RejectedExecutionException e) {
            inFlight = false;
            metrics.shed.increment();
            fail(ctx, 503, "the server is busy; " + committedThroughLine + " lines were committed before it; retry the rest", true);
            return;
        }
        f.whenComplete((outcomes, error) -> ctx.executor().execute(() -> committed(ctx, records, lines, lastLine,
                outcomes, error)));
    }

    private void committed(ChannelHandlerContext ctx, List<DeviceRecord> records, List<Integer> lines, long lastLine,
                           List<UpsertOutcome> outcomes, Throwable error) {
        inFlight = false;
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof io.nacgw.core.store.StoreUnavailableException) {
                ApiException e = ErrorMapper.unavailable((io.nacgw.core.store.StoreUnavailableException) cause);
                if (active && ctx.channel().isActive()) {
                    fail(ctx, 503, "the store is unreachable; " + committedThroughLine + " lines were committed before "
                            + "it; retry from line " + (committedThroughLine + 1), true, e.headers());
                }
                return;
            }
            log.error("bulk ingest batch of {} records failed to commit", records.size(), error);
            if (active && ctx.channel().isActive()) {
                fail(ctx, 500, "the store refused a batch; " + committedThroughLine
                        + " lines were committed before it; retry from line " + (committedThroughLine + 1), true);
            }
            return;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            switch (outcomes.get(i)) {
                case INSERTED: inserted++; break;
                case UPDATED: updated++; break;
                default:
                    stale++;
                    if (staleLines.size() < MAX_REPORTED) {
                        staleLines.add((long) lines.get(i));
                    }
            }
        }
        metrics.ingested.add(outcomes.size() - countStale(outcomes));
        metrics.staleUpdates.add(countStale(outcomes));
        committedThroughLine = lastLine;
        if (!active || !ctx.channel().isActive()) {
            log.warn("bulk ingest: a batch in flight when the client went away committed {} records (through line {})",
                    records.size(), lastLine);
            return;
        }
        parse(ctx);
    }

    private static long countStale(List<UpsertOutcome> outcomes) {
        long n = 0;
        for (UpsertOutcome o : outcomes) {
            if (!o.applied()) {
                n++;
            }
        }
        return n;
    }

    private void finish(ChannelHandlerContext ctx) {
        ByteBuf body = ctx.alloc().buffer(256 + errors.size() * 80);
        JsonWriter w = new JsonWriter(body);
        w.startObject().field("lines", line).field("received", received).field("inserted", inserted)
                .field("updated", updated).field("stale", stale).field("invalid", invalid)
                .field("committedThroughLine", committedThroughLine);
        w.name("errors").startArray();
        for (String[] e : errors) {
            w.startObject().field("line", Long.parseLong(e[0])).field("error", e[1]).endObject();
        }
        w.endArray();
        w.name("staleLines").startArray();
        for (long l : staleLines) {
            w.value(l);
        }
        w.endArray();
        w.field("truncated", invalid > errors.size() || stale > staleLines.size()).endObject();
        write(ctx, ApiResponse.of(200, ApiResponse.JSON, body), keepAlive, false);
        reset(ctx);
    }

    /**
     * Answers with an error. With {@code close} the connection closes after the answer (the rest of a big stream is
     * not worth reading); otherwise the rest of the body is read and discarded so the connection stays usable.
     */
    private void fail(ChannelHandlerContext ctx, int status, String detail, boolean close) {
        fail(ctx, status, detail, close, java.util.Map.of());
    }

    private void fail(ChannelHandlerContext ctx, int status, String detail, boolean close,
                      java.util.Map<String, String> headers) {
        failed = true;
        batch.clear();
        batchLines.clear();
        ApiResponse r = ErrorResponses.render(ctx.alloc(), JsonApi.BULK_PATH, status, detail, headers);
        write(ctx, r, keepAlive && !close, true);
        if (ended || close) {
            reset(ctx);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive, boolean error) {
        if (error) {
            (r.status() >= 500 ? metrics.errors5xx : metrics.errors4xx).increment();
        }
        metrics.requests.increment();
        HttpResponses.write(ctx, r, keepAlive, false);
    }

    private void reset(ChannelHandlerContext ctx) {
        active = false;
        failed = false;
        if (pending != null) {
            pending.release();
            pending = null;
        }
        ctx.channel().config().setAutoRead(true);
        if (!after.isEmpty()) {
            ArrayDeque<Object> queued = new ArrayDeque<>(after);
            after.clear();
            for (Object m : queued) {
                channelRead(ctx, m);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (active) {
            active = false;
            metrics.bulkCutOff.increment();
            // a batch that was received whole is committed; the partial one is not (its sender may retry it)
            boolean wholeBatch = batch.size() >= batchSize && !inFlight && !failed;
            long partial = wholeBatch ? 0 : batch.size();
            if (wholeBatch) {
                submit(ctx);
            }
            long suppressed = CUT_OFF_LOG.admit();
            if (suppressed >= 0) {
                log.warn("bulk ingest from {} cut off after line {}: committed through line {}, {}{} parsed records of "
                        + "a partial batch discarded ({} more cut-offs not logged)", ctx.channel().remoteAddress(), line,
                        committedThroughLine, inFlight ? "one whole batch still committing, " : "", partial, suppressed);
            }
            batch.clear();
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
        while (!after.isEmpty()) {
            ReferenceCountUtil.release(after.poll());
        }
        ctx.fireChannelInactive();
    }
}
