package io.nacgw.nacapi.ingest;

import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.BulkIngestTest;
import io.nacgw.core.testing.TestStores;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bulk handler alone: back-pressure through auto-read while a commit is pending, and acknowledgement after it. */
final class BulkIngestHandlerTest {
    private final ArrayDeque<Runnable> commits = new ArrayDeque<>();
    private final Executor manual = commits::add;
    private ComplianceStore store;
    private ComplianceService service;
    private EmbeddedChannel ch;
    private ApiMetrics metrics;

    @BeforeEach
    void setUp() {
        store = ComplianceStore.open(TestStores.fresh(2));
        service = ComplianceService.start(store, IndexSettings.DEFAULTS);
        metrics = new ApiMetrics();
        ch = new EmbeddedChannel(new BulkIngestHandler(service, manual, 2, metrics));
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        service.close();
        store.close();
    }

    private static ByteBuf lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(BulkIngestTest.line(0x8000, i, "2026-11-01T10:00:00Z"));
        }
        return Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8);
    }

    private static HttpRequest head() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/devices:bulk");
        r.headers().set("Content-Type", "application/x-ndjson");
        return r;
    }

    private void commitOne() {
        commits.poll().run();
        ch.runPendingTasks();
    }

    @Test
    void readingStops_whileOneBatchCommitsAndTheNextIsFull_andTheAnswerWaitsForTheLastCommit() {
        ch.writeInbound(head());
        ch.writeInbound(new DefaultHttpContent(lines(0, 5))); // batches of 2: [0,1] committing, [2,3] full, 4 waiting
        assertEquals(1, commits.size(), "one commit at a time");
        assertFalse(ch.config().isAutoRead(), "back-pressure: the next batch is full while one commits");
        commitOne();                                          // [0,1] done -> [2,3] submitted, 4 parsed
        assertEquals(1, commits.size());
        assertTrue(ch.config().isAutoRead(), "room again: read on");
        ch.writeInbound(new DefaultLastHttpContent());
        assertNull(ch.readOutbound(), "not acknowledged before every commit is done");
        commitOne();                                          // [2,3] done -> [4] submitted
        assertNull(ch.readOutbound());
        commitOne();                                          // [4] done -> answer
        FullHttpResponse res = ch.readOutbound();
        String body = res.content().toString(StandardCharsets.UTF_8);
        res.release();
        assertEquals(200, res.status().code());
        assertTrue(body.contains("\"inserted\":5") && body.contains("\"committedThroughLine\":5"), body);
        assertEquals(5, store.count());
    }

    @Test
    void clientGone_withAPartialBatch_commitsNothingOfIt_andCountsTheCutOff() {
        ch.writeInbound(head());
        ch.writeInbound(new DefaultHttpContent(lines(0, 3)));  // [0,1] committing, [2] partial
        ch.close();
        while (!commits.isEmpty()) {
            commits.poll().run();
        }
        ch.runPendingTasks();
        assertEquals(2, store.count());
        assertEquals(1, metrics.bulkCutOff.sum());
    }

    @Test
    void otherRequests_passThroughUntouched() {
        HttpRequest other = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/devices/lookup?mac=1");
        ch.writeInbound(other);
        assertEquals(other, ch.readInbound());
    }

    @Test
    void wrongContentType_is415_restOfTheBodyDiscarded_connectionKept() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/devices:bulk");
        r.headers().set("Content-Type", "text/csv");
        ch.writeInbound(r);
        FullHttpResponse res = ch.readOutbound();
        assertEquals(415, res.status().code());
        assertEquals("application/problem+json", res.headers().get("Content-Type"));
        res.release();
        ch.writeInbound(new DefaultHttpContent(lines(0, 3)));
        ch.writeInbound(new DefaultLastHttpContent());
        assertTrue(commits.isEmpty());
        assertTrue(ch.isActive());
        HttpRequest next = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/devices/lookup?mac=1");
        ch.writeInbound(next);
        assertEquals(next, ch.readInbound(), "the next request on the connection is served");
    }
}
