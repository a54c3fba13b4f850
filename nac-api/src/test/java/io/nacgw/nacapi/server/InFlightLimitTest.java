package io.nacgw.nacapi.server;

import io.nacgw.nacapi.Admission;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import io.nacgw.nacapi.Routes;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request admission over all connections: beyond api.maxInFlightRequests, 503 + Retry-After at once, counted. */
final class InFlightLimitTest {

    /** A request as authentication hands it on: with its route matched (once). */
    private static ApiRequest get(EmbeddedChannel ch, Routes routes, String path) {
        return new ApiRequest(HttpMethod.GET, path, new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER,
                new Admission(new ApiPrincipal("partner", ApiRole.PARTNER, null), routes.match(HttpMethod.GET, path)),
                ch.alloc(), new InetSocketAddress("127.0.0.1", 1), true);
    }

    private static ApiResponse ok() {
        return ApiResponse.of(200, ApiResponse.JSON, Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
    }

    @Test
    void overTheCap_isRefusedAtOnceWith503AndRetryAfter_counted_andThePlaceComesBackWithTheAnswer() {
        CompletableFuture<ApiResponse> held = new CompletableFuture<>();
        Routes routes = new Routes(List.of(
                new Route(HttpMethod.GET, "/slow", RouteGroup.PARTNER, r -> held),
                new Route(HttpMethod.GET, "/fast", RouteGroup.PARTNER, r -> CompletableFuture.completedFuture(ok()))));
        ApiMetrics metrics = new ApiMetrics();
        InFlightLimit limit = new InFlightLimit(1);
        EmbeddedChannel first = new EmbeddedChannel(new RouterHandler(metrics, limit));
        EmbeddedChannel second = new EmbeddedChannel(new RouterHandler(metrics, limit));

        first.writeInbound(get(first, routes, "/slow"));
        assertNull(first.readOutbound(), "being answered");
        assertEquals(1, limit.inFlight());

        second.writeInbound(get(second, routes, "/fast"));
        FullHttpResponse refused = second.readOutbound();
        assertEquals(503, refused.status().code());
        assertEquals("1", refused.headers().get(HttpHeaderNames.RETRY_AFTER));
        assertTrue(refused.content().toString(StandardCharsets.UTF_8).contains("api.maxInFlightRequests"));
        assertTrue(second.isActive(), "the connection stays open");
        refused.release();
        assertEquals(1, metrics.shed.sum());

        held.complete(ok());
        FullHttpResponse slow = first.readOutbound();
        assertEquals(200, slow.status().code());
        slow.release();
        assertEquals(0, limit.inFlight());

        second.writeInbound(get(second, routes, "/fast"));
        FullHttpResponse fast = second.readOutbound();
        assertEquals(200, fast.status().code(), "admitted again once the first was answered");
        fast.release();
        assertEquals(1, metrics.shed.sum());
        assertEquals(0, limit.inFlight());
        assertFalse(first.finishAndReleaseAll());
        assertFalse(second.finishAndReleaseAll());
    }

    @Test
    void failedAnswer_givesItsPlaceBack() {
        Routes routes = new Routes(List.of(new Route(HttpMethod.GET, "/boom", RouteGroup.PARTNER,
                r -> CompletableFuture.failedFuture(new ApiException(400, "bad")))));
        InFlightLimit limit = new InFlightLimit(1);
        EmbeddedChannel ch = new EmbeddedChannel(new RouterHandler(new ApiMetrics(), limit));
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(get(ch, routes, "/boom"));
            FullHttpResponse r = ch.readOutbound();
            assertEquals(400, r.status().code());
            r.release();
        }
        assertEquals(0, limit.inFlight());
        ch.finishAndReleaseAll();
    }

    @Test
    void cap_isValidatedNamingTheKey() {
        assertEquals(1024, ApiSettings.defaults().maxInFlightRequests());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiSettings.defaults().withMaxInFlightRequests(0));
        assertTrue(e.getMessage().startsWith("api.maxInFlightRequests must be 1 to 1000000"), e.getMessage());
    }
}
