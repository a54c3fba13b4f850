package io.nacgw.nacapi.json;

import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.JsonWriter;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.RouteGroup;
import com.fasterxml.jackson.databind.JsonNode;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.InvalidIdentifierException;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ReasonCode;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.UpsertOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The JSON API: device lookup with a decision, batch decisions, and the admin ingest routes (single upsert and
 * delete; bulk NDJSON lives in {@link io.nacgw.nacapi.ingest.BulkIngestHandler}). Described by {@code openapi.json}.
 */
public final class JsonApi {
    public static final String BASE = "/api/v1";
    public static final String BULK_PATH = BASE + "/devices:bulk";
    /** Query parameters a lookup accepts, in the order they are tried. */
    static final List<String> ID_PARAMS = List.of("mac", "serial", "imei", "meid", "udid", "deviceId", "entraId");

    private final ComplianceService service;
    private final AccessPolicy policy;
    private final Clock clock;
    /** The pool for writes (PUT, DELETE): separate from the one listings use, so writes never starve reads. */
    private final Executor writers;
    private final int maxBatch;
    /** Retry-After when shedding; a reload may change it ({@link #busyWaitSeconds(int)}). */
    private volatile int busyWaitSeconds;
    private final ApiMetrics metrics;
    private final byte[] openApi;

    /** A new Retry-After for shed requests (a reload of ise.busyWaitSeconds). */
    public void busyWaitSeconds(int seconds) {
        this.busyWaitSeconds = seconds;
    }

    public JsonApi(ComplianceService service, AccessPolicy policy, Clock clock, Executor writers, int maxBatch,
            int busyWaitSeconds, ApiMetrics metrics) {
        this.service = service;
        this.policy = policy;
        this.clock = clock;
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.busyWaitSeconds = busyWaitSeconds;
        this.metrics = metrics;
        this.openApi = loadOpenApi();
    }

    static byte[] loadOpenApi() {
        try (InputStream in = JsonApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the nac-api jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE + "/openapi.json", RouteGroup.PARTNER, this::openApi),
                new Route(HttpMethod.GET, BASE + "/devices/lookup", RouteGroup.PARTNER, this::lookup),
                new Route(HttpMethod.POST, BASE + "/decisions", RouteGroup.PARTNER, this::decisions),
                new Route(HttpMethod.PUT, BASE + "/devices/{deviceId}", RouteGroup.ADMIN, this::put),
                new Route(HttpMethod.DELETE, BASE + "/devices/{deviceId}", RouteGroup.ADMIN, this::delete),
                new Route(HttpMethod.POST, BULK_PATH, RouteGroup.ADMIN, null));
    }

    CompletionStage<ApiResponse> openApi(ApiRequest r) {
        ByteBuf buf = r.alloc().buffer(openApi.length).writeBytes(openApi);
        return CompletableFuture.completedFuture(ApiResponse.of(200, ApiResponse.JSON, buf));
    }

    // ---- lookup ----

    CompletionStage<ApiResponse> lookup(ApiRequest r) {
        DeviceIdentifier id = null;
        for (String p : ID_PARAMS) {
            String v = r.param(p);
            if (v != null) {
                if (id != null) {
                    throw ApiException.badRequest("give exactly one of " + String.join(", ", ID_PARAMS));
                }
                id = parse(IdentifierKind.fromName(p), v, p);
            }
        }
        if (id == null) {
            throw ApiException.badRequest("give one of " + String.join(", ", ID_PARAMS));
        }
        for (String k : r.query().keySet()) {
            if (!ID_PARAMS.contains(k) && !k.equals("profile")) {
                throw ApiException.badRequest("unknown parameter '" + Paths.printable(k) + "'");
            }
        }
        Profile profile = profile(r, r.param("profile"));
        DeviceIdentifier finalId = id;
        metrics.lookups.increment();
        return lookup(id).thenApply(found -> {
            ByteBuf buf = r.alloc().buffer(1024);
            JsonWriter w = new JsonWriter(buf);
            result(w, finalId, found.orElse(null), profile);
            return ApiResponse.of(200, ApiResponse.JSON, buf);
        });
    }

    private void result(JsonWriter w, DeviceIdentifier id, DeviceRecord device, Profile profile) {
        w.startObject();
        w.name("identifier").startObject().field("kind", kindName(id.kind())).field("value", id.canonical()).endObject();
        w.field("found", device != null);
        if (device != null) {
            w.name("device");
            DeviceJson.write(device, w);
        }
        w.name("decision");
        decision(w, profile.decide(device, clock.millis()));
        w.endObject();
    }

    static void decision(JsonWriter w, Decision d) {
        w.startObject().field("profile", d.profile()).field("verdict", d.verdict().wireName())
                .field("primaryReason", d.primaryReason().wireName());
        w.name("reasons").startArray();
        for (ReasonCode c : d.reasons()) {
            w.value(c.wireName());
        }
        w.endArray();
        w.field("message", d.message()).optField("remediationUrl", d.remediationUrl());
        ResponseAttributes a = d.attributes();
        if (a != null) {
            w.name("attributes").startObject()
                    .optField("vlan", a.vlan()).optField("filterId", a.filterId()).optField("role", a.role());
            if (a.sessionTimeout() != null) {
                w.field("sessionTimeout", a.sessionTimeout());
            }
            w.optField("redirectUrl", a.redirectUrl()).optField("redirectAcl", a.redirectAcl())
                    .optField("replyMessage", a.replyMessage()).endObject();
        }
        w.endObject();
    }

    private static String kindName(IdentifierKind k) {
        switch (k) {
            case INTUNE_ID: return "deviceId";
            case ENTRA_ID: return "entraId";
            default: return k.name().toLowerCase(Locale.ROOT);
        }
    }

    private static DeviceIdentifier parse(IdentifierKind kind, String value, String param) {
        try {
            return DeviceIdentifier.parse(kind, value);
        } catch (InvalidIdentifierException e) {
            throw ApiException.badRequest(param + ": " + e.getMessage());
        }
    }

    private Profile profile(ApiRequest r, String asked) {
        String name = asked != null ? asked : r.principal() == null ? null : r.principal().profile();
        if (name == null) {
            return policy.defaultProfile();
        }
        if (!policy.has(name)) {
            throw ApiException.badRequest("unknown profile '" + Paths.printable(name) + "' (known: " + policy.names() + ")");
        }
        return policy.profile(name);
    }

    private CompletableFuture<Optional<DeviceRecord>> lookup(DeviceIdentifier id) {
        return ApiException.busyWhenOverloaded(service.lookup(id), this::busy);
    }

    /** 503 with Retry-After, counted as shed load. */
    public ApiException busy() {
        metrics.shed.increment();
        return new ApiException(503, "the server is busy; retry later",
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Integer.toString(busyWaitSeconds)), false);
    }

    // ---- batch decisions ----

    /** Body: {@code {"profile": "corp-wifi", "identifiers": [{"mac": "..."}, {"serial": "..."}]}}. */
    CompletionStage<ApiResponse> decisions(ApiRequest r) {
        JsonNode body = json(r);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("profile") && !f.equals("identifiers")) {
                throw ApiException.badRequest("unknown field '" + Paths.printable(f) + "'");
            }
        }
        JsonNode prof = body.get("profile");
        if (prof != null && !prof.isNull() && !prof.isTextual()) {
            throw ApiException.badRequest("profile must be a string");
        }
        Profile profile = profile(r, prof == null || prof.isNull() ? null : prof.textValue());
        JsonNode items = body.get("identifiers");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw ApiException.badRequest("identifiers must be a non-empty array");
        }
        if (items.size() > maxBatch) {
            throw ApiException.badRequest("at most " + maxBatch + " identifiers per request, got " + items.size());
        }
        List<DeviceIdentifier> ids = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject() || item.size() != 1) {
                throw ApiException.badRequest("identifiers[" + i + "] must be an object with exactly one of "
                        + String.join(", ", ID_PARAMS));
            }
            String k = item.fieldNames().next();
            JsonNode v = item.get(k);
            if (!ID_PARAMS.contains(k) || !v.isTextual()) {
                throw ApiException.badRequest("identifiers[" + i + "] must be an object with exactly one of "
                        + String.join(", ", ID_PARAMS) + " as a string");
            }
            ids.add(parse(IdentifierKind.fromName(k), v.textValue(), "identifiers[" + i + "]." + k));
        }
        List<CompletableFuture<Optional<DeviceRecord>>> all = new ArrayList<>(ids.size());
        for (DeviceIdentifier id : ids) {
            all.add(lookup(id));
        }
        metrics.lookups.add(ids.size());
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            ByteBuf buf = r.alloc().buffer(512 * all.size());
            JsonWriter w = new JsonWriter(buf);
            w.startObject().name("results").startArray();
            for (int i = 0; i < all.size(); i++) {
                result(w, ids.get(i), all.get(i).join().orElse(null), profile);
            }
            w.endArray().endObject();
            return ApiResponse.of(200, ApiResponse.JSON, buf);
        });
    }

    private static JsonNode json(ApiRequest r) {
        String ct = r.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "send Content-Type: application/json");
        }
        JsonNode n;
        try {
            n = DeviceJson.readTree(r.bodyBytes());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!n.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return n;
    }

    // ---- ingest ----

    CompletionStage<ApiResponse> put(ApiRequest r) {
        DeviceGuid id = pathId(r);
        JsonNode body = json(r);
        DeviceRecord record;
        try {
            record = DeviceJson.fromTree(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!record.deviceId().equals(id)) {
            throw ApiException.badRequest("deviceId in the body (" + record.deviceId() + ") differs from the path (" + id + ")");
        }
        return onWorker(writers, () -> service.upsert(record)).thenApply(outcome -> {
            if (outcome.applied()) {
                metrics.ingested.increment();
            } else {
                metrics.staleUpdates.increment();
            }
            ByteBuf buf = r.alloc().buffer(160);
            new JsonWriter(buf).startObject().field("deviceId", id.canonical())
                    .field("outcome", outcome.name().toLowerCase(Locale.ROOT)).field("applied", outcome.applied())
                    .endObject();
            return ApiResponse.of(outcome == UpsertOutcome.INSERTED ? 201 : 200, ApiResponse.JSON, buf);
        });
    }

    CompletionStage<ApiResponse> delete(ApiRequest r) {
        DeviceGuid id = pathId(r);
        return onWorker(writers, () -> service.delete(id)).thenApply(deleted -> {
            if (!deleted) {
                throw new ApiException(404, "no device " + id);
            }
            return ApiResponse.of(204, ApiResponse.JSON, r.alloc().buffer(0));
        });
    }

    private static DeviceGuid pathId(ApiRequest r) {
        try {
            return DeviceGuid.intune(r.pathVariable("deviceId"));
        } catch (InvalidIdentifierException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private <T> CompletableFuture<T> onWorker(Executor pool, java.util.function.Supplier<T> blocking) {
        try {
            return CompletableFuture.supplyAsync(blocking, pool);
        } catch (RejectedExecutionException e) {
            throw busy();
        }
    }
}
