package io.nacgw.nacapi.console;

import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import io.nacgw.nacapi.ise.DeviceListing;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.nacapi.json.JsonApi;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Identifiers;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Explanation;
import io.nacgw.core.policy.ReasonCode;
import io.nacgw.core.service.ComplianceService;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The admin routes the operator console calls (and the CLI can): device search with every profile's explanation,
 * a device's recent decisions, the live streams (answered by {@link EventStreamHandler}), and the gateway's
 * {@link AdminOperation}s (overview, NAS clients, sync, certificates). Described by {@code openapi.json}.
 */
public final class ConsoleApi {
    static final String SEARCH = JsonApi.BASE + "/devices/search";
    static final String RECENT = JsonApi.BASE + "/decisions/recent";
    static final String DECISION_STREAM = JsonApi.BASE + "/decisions/stream";
    static final String OVERVIEW_STREAM = JsonApi.BASE + "/overview/stream";
    static final int MAX_RECENT = 500;
    static final int MAX_MATCHES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ComplianceService service;
    private final AccessPolicy policy;
    private final Clock clock;
    private final Executor workers;
    private final ConsoleServices console;
    private final Supplier<ApiException> busy;

    public ConsoleApi(ComplianceService service, AccessPolicy policy, Clock clock, Executor workers, ConsoleServices console,
               Supplier<ApiException> busy) {
        this.service = service;
        this.policy = policy;
        this.clock = clock;
        this.workers = workers;
        this.console = console;
        this.busy = busy;
    }

    public List<Route> routes() {
        String b = JsonApi.BASE;
        return List.of(
                new Route(HttpMethod.GET, SEARCH, RouteGroup.ADMIN, this::search),
                new Route(HttpMethod.GET, RECENT, RouteGroup.ADMIN, this::recent),
                new Route(HttpMethod.GET, DECISION_STREAM, RouteGroup.ADMIN, null),
                new Route(HttpMethod.GET, OVERVIEW_STREAM, RouteGroup.ADMIN, null),
                op(HttpMethod.GET, b + "/overview", AdminOperation.OVERVIEW),
                op(HttpMethod.GET, b + "/nas-clients", AdminOperation.NAS_CLIENTS),
                op(HttpMethod.GET, b + "/sync/status", AdminOperation.SYNC_STATUS),
                op(HttpMethod.POST, b + "/sync/run", AdminOperation.SYNC_RUN),
                op(HttpMethod.GET, b + "/certificates", AdminOperation.CERTS_LIST),
                op(HttpMethod.POST, b + "/certificates", AdminOperation.CERTS_ISSUE),
                op(HttpMethod.POST, b + "/certificates/{serial}:revoke", AdminOperation.CERTS_REVOKE));
    }

    /** True for the routes {@link EventStreamHandler} answers. */
    static boolean isStream(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && (DECISION_STREAM.equals(path) || OVERVIEW_STREAM.equals(path));
    }

    private Route op(HttpMethod method, String template, String name) {
        return new Route(method, template, RouteGroup.ADMIN, r -> run(r, name));
    }

    /** Runs operation {@code name} on a worker; 404 when this gateway has none (sync off, no CA). */
    CompletionStage<ApiResponse> run(ApiRequest r, String name) {
        AdminOperation op = console.operations().get(name);
        if (op == null) {
            throw new ApiException(404, "not available on this gateway: " + name);
        }
        Map<String, String> params = new HashMap<>();
        r.query().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        params.putAll(r.pathVariables());
        byte[] body = r.bodyBytes();
        try {
            return CompletableFuture.supplyAsync(() -> op.handle(params, body), workers).thenApply(reply -> {
                if (reply.status() >= 400) {
                    throw new ApiException(reply.status(), errorText(reply.json()));
                }
                byte[] b = reply.json().getBytes(StandardCharsets.UTF_8);
                return ApiResponse.of(reply.status(), ApiResponse.JSON, r.alloc().buffer(b.length).writeBytes(b));
            });
        } catch (RejectedExecutionException e) {
            throw busy.get();
        }
    }

    // ---- device search ----

    CompletionStage<ApiResponse> search(ApiRequest r) {
        String q = r.param("q");
        if (q == null || q.isBlank() || q.length() > 256) {
            throw ApiException.badRequest("q: give a MAC (any spelling), serial, IMEI, MEID, UDID, Intune or Entra id, "
                    + "user or device name");
        }
        String text = q.strip();
        String kind = r.param("kind");
        if ("user".equals(kind) || "name".equals(kind) || kind == null && text.indexOf('@') > 0) {
            return byName(r, q, text, kind == null ? "user" : kind);
        }
        List<DeviceIdentifier> candidates;
        try {
            candidates = Identifiers.candidates(text, kind);
        } catch (IllegalArgumentException e) {
            if (kind == null) {
                return byName(r, q, text, "name"); // not an identifier: a device name
            }
            throw ApiException.badRequest("q: " + Paths.printable(e.getMessage()));
        }
        return first(candidates, 0).thenCompose(found -> {
            if (found.isEmpty() && kind == null && MacAddress.tryParse(text) == null) {
                return byName(r, q, text, "name"); // "LAPTOP-7" reads as a serial too: try it as a device name
            }
            DeviceIdentifier id = found.map(Found::id).orElse(candidates.get(0));
            DeviceRecord device = found.map(Found::device).orElse(null);
            ObjectNode o = explain(q, kindName(id.kind()), id.canonical(), device);
            return CompletableFuture.completedFuture(json(r, o.toString()));
        });
    }

    /**
     * Devices whose user principal name ({@code user}) or device name ({@code name}) is {@code text}, ignoring
     * case: a scan on a worker (no index on these). The first is explained; up to {@link #MAX_MATCHES} are listed.
     */
    private CompletionStage<ApiResponse> byName(ApiRequest r, String q, String text, String kind) {
        Predicate<DeviceRecord> match = "user".equals(kind)
                ? d -> d.userPrincipalName().map(text::equalsIgnoreCase).orElse(false)
                : d -> d.deviceName().map(text::equalsIgnoreCase).orElse(false);
        return async(() -> {
            List<DeviceRecord> found = new DeviceListing(service).page(match, 0, MAX_MATCHES, d -> 1).devices();
            ObjectNode o = explain(q, kind, text, found.isEmpty() ? null : found.get(0));
            ArrayNode matches = o.putArray("matches");
            for (DeviceRecord d : found) {
                matches.addObject().put("deviceId", d.deviceId().canonical())
                        .put("deviceName", d.deviceName().orElse(null))
                        .put("userPrincipalName", d.userPrincipalName().orElse(null));
            }
            return o.toString();
        }, r);
    }

    private record Found(DeviceIdentifier id, DeviceRecord device) {
    }

    /** The first candidate the index knows, trying them in order (each lookup is asynchronous). */
    private CompletableFuture<Optional<Found>> first(List<DeviceIdentifier> candidates, int i) {
        if (i >= candidates.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        DeviceIdentifier id = candidates.get(i);
        return service.lookup(id).thenCompose(d -> d.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(new Found(id, d.get())))
                : first(candidates, i + 1));
    }

    private ObjectNode explain(String q, String kind, String value, DeviceRecord device) {
        ObjectNode o = JSON.createObjectNode();
        o.put("query", q);
        o.putObject("identifier").put("kind", kind).put("value", value);
        o.put("found", device != null);
        if (device != null) {
            try {
                o.set("device", JSON.readTree(DeviceJson.toJson(device)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ArrayNode profiles = o.putArray("profiles");
        for (String name : policy.names()) {
            Explanation x = policy.profile(name).explain(device, clock.instant());
            ObjectNode p = profiles.addObject();
            p.put("profile", name);
            p.put("verdict", x.decision().verdict().wireName());
            ArrayNode reasons = p.putArray("reasons");
            for (ReasonCode c : x.decision().reasons()) {
                reasons.add(c.wireName());
            }
            p.put("message", x.decision().message());
            if (x.decision().remediationUrl() != null) {
                p.put("remediationUrl", x.decision().remediationUrl());
            }
            ArrayNode steps = p.putArray("rules");
            for (Explanation.Step s : x.steps()) {
                steps.addObject().put("rule", s.rule().title()).put("passed", !s.fired())
                        .put("outcome", s.outcome().wireName()).put("detail", s.detail());
            }
        }
        return o;
    }

    private static String kindName(IdentifierKind k) {
        switch (k) {
            case INTUNE_ID: return "deviceId";
            case ENTRA_ID: return "entraId";
            default: return k.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    // ---- recent decisions ----

    CompletionStage<ApiResponse> recent(ApiRequest r) {
        for (String k : r.query().keySet()) {
            if (!List.of("deviceId", "mac", "nas", "limit").contains(k)) {
                throw ApiException.badRequest("unknown parameter '" + Paths.printable(k) + "'");
            }
        }
        int limit = 50;
        String l = r.param("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_RECENT) {
                throw ApiException.badRequest("limit must be 1 to " + MAX_RECENT);
            }
        }
        String mac = r.param("mac");
        MacAddress m = null;
        if (mac != null) {
            m = MacAddress.tryParse(mac);
            if (m == null) {
                throw ApiException.badRequest("mac: not a MAC address");
            }
        }
        Predicate<String> match = DecisionFeed.decisions(r.param("deviceId"), m == null ? null : m.canonical(),
                r.param("nas"));
        DecisionFeed feed = console.decisions();
        int max = limit;
        return async(() -> {
            StringBuilder sb = new StringBuilder("{\"decisions\":[");
            List<String> lines = feed.recent(match, max);
            for (int i = 0; i < lines.size(); i++) {
                sb.append(i > 0 ? "," : "").append(lines.get(i));
            }
            return sb.append("]}").toString();
        }, r);
    }

    // ---- helpers ----

    private CompletionStage<ApiResponse> async(Supplier<String> body, ApiRequest r) {
        try {
            return CompletableFuture.supplyAsync(body, workers).thenApply(json -> json(r, json));
        } catch (RejectedExecutionException e) {
            throw busy.get();
        }
    }

    private static ApiResponse json(ApiRequest r, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ApiResponse.of(200, ApiResponse.JSON, r.alloc().buffer(b.length).writeBytes(b));
    }

    /** The {@code error} of an operation's JSON refusal, or the JSON itself. */
    public static String errorText(String json) {
        try {
            return JSON.readTree(json).path("error").asText(json);
        } catch (IOException e) {
            return json;
        }
    }
}
