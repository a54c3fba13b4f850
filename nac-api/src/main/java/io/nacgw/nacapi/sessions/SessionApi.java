package io.nacgw.nacapi.sessions;

import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import io.nacgw.nacapi.console.ConsoleApi;
import io.nacgw.nacapi.json.JsonApi;
import io.nacgw.core.session.SessionFilter;
import io.nacgw.core.session.SessionStore;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/sessions?mac=&nas=&active=&limit=}: the network sessions nacgw knows (from Access-Accepts and
 * accounting), for partners and admins. The table is read on a worker thread, never on the event loop.
 */
public final class SessionApi {
    static final String PATH = JsonApi.BASE + "/sessions";

    private final SessionStore sessions;
    private final SessionActions actions;
    private final Executor workers;
    private final Clock clock;
    private final Supplier<ApiException> busy;

    /**
     * {@code sessions} null: the gateway keeps no session table (the route answers 404 saying so); {@code actions}
     * null: no CoA (the action routes answer 409).
     */
    public SessionApi(SessionStore sessions, SessionActions actions, Executor workers, Clock clock, Supplier<ApiException> busy) {
        this.sessions = sessions;
        this.actions = actions;
        this.workers = workers;
        this.clock = clock;
        this.busy = busy;
    }

    public List<Route> routes() {
        return List.of(new Route(HttpMethod.GET, PATH, RouteGroup.PARTNER, this::list),
                new Route(HttpMethod.POST, PATH + "/{id}:reauthenticate", RouteGroup.ADMIN, r -> act(r, false)),
                new Route(HttpMethod.POST, PATH + "/{id}:disconnect", RouteGroup.ADMIN, r -> act(r, true)));
    }

    /** Re-authenticates or disconnects one session through CoA; answers with the NAS's answer. */
    CompletionStage<ApiResponse> act(ApiRequest r, boolean disconnect) {
        if (actions == null) {
            throw new ApiException(409, "CoA is off on this gateway (radius.enabled or radius.coa.enabled is false)");
        }
        String id = r.pathVariable("id");
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw ApiException.badRequest("a session id is 1-64 characters");
        }
        return actions.act(id, disconnect).thenApply(reply -> {
            if (reply.status() != 200) { // the API's own error format (problem+json) for the action's refusal
                throw new ApiException(reply.status(), ConsoleApi.errorText(reply.json()));
            }
            byte[] b = reply.json().getBytes(StandardCharsets.UTF_8);
            return ApiResponse.of(reply.status(), ApiResponse.JSON, r.alloc().buffer(b.length).writeBytes(b));
        });
    }

    CompletionStage<ApiResponse> list(ApiRequest r) {
        if (sessions == null) {
            throw new ApiException(404, "this gateway keeps no session table (radius.enabled: false)");
        }
        Map<String, String> query = new LinkedHashMap<>();
        r.query().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        SessionFilter filter;
        try {
            filter = SessionListing.filter(query);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            return CompletableFuture.supplyAsync(() -> SessionListing.json(sessions.list(filter), filter,
                    clock.instant()), workers).thenApply(json -> {
                        byte[] b = json.getBytes(StandardCharsets.UTF_8);
                        ByteBuf buf = r.alloc().buffer(b.length).writeBytes(b);
                        return ApiResponse.of(200, ApiResponse.JSON, buf);
                    });
        } catch (RejectedExecutionException e) {
            throw busy.get();
        }
    }
}
