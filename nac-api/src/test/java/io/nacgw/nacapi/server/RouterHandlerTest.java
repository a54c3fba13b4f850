package io.nacgw.nacapi.server;

import io.nacgw.nacapi.Admission;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import io.nacgw.nacapi.Routes;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class RouterHandlerTest {
    private static final ApiPrincipal ADMIN = new ApiPrincipal("a", ApiRole.ADMIN, null);

    private static Route answering(String template, String body) {
        return new Route(HttpMethod.GET, template, RouteGroup.PARTNER, r -> CompletableFuture.completedFuture(
                ApiResponse.of(200, ApiResponse.JSON, Unpooled.copiedBuffer(body + " " + r.pathVariables(),
                        StandardCharsets.UTF_8))));
    }

    private static ApiRequest request(String uri, Admission admission) {
        return new ApiRequest(HttpMethod.GET, uri, new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER, admission,
                ByteBufAllocator.DEFAULT, null, true);
    }

    private static FullHttpResponse answer(ApiRequest req) {
        EmbeddedChannel ch = new EmbeddedChannel(new RouterHandler(new ApiMetrics(), new InFlightLimit(16)));
        ch.writeInbound(req);
        FullHttpResponse res = ch.readOutbound();
        ch.finishAndReleaseAll();
        return res;
    }

    @Test
    void dispatch_usesTheRouteAuthenticationResolved_withoutMatchingAgain() {
        Route a = answering("/a/{id}", "a");
        Route b = answering("/b", "b");
        Routes routes = new Routes(List.of(a, b));
        // resolved (once, by authentication) to route a; the path names b: the router must not look again
        Routes.Match resolved = new Routes.Match(a, Map.of("id", "7"), List.of());
        FullHttpResponse res = answer(request("/b", new Admission(ADMIN, resolved)));
        assertEquals(200, res.status().code());
        assertEquals("a {id=7}", res.content().toString(StandardCharsets.UTF_8));
        res.release();
        assertEquals(b, routes.match(HttpMethod.GET, "/b").route());
    }

    @Test
    void dispatch_resolvedToNoRoute_isA404WithoutMatchingAgain() {
        Routes.Match none = new Routes.Match(null, Map.of(), List.of());
        FullHttpResponse res = answer(request("/a/7", new Admission(ADMIN, none)));
        assertEquals(404, res.status().code());
        res.release();
    }

    @Test
    void dispatch_requestThatSkippedAuthentication_isOurBugA500() {
        FullHttpResponse res = answer(request("/a/7", null));
        assertEquals(500, res.status().code());
        res.release();
    }
}
