package io.nacgw.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.sessions.SessionListing;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code nacgw devices get|explain} against the running gateway, on the localhost operations port:
 * {@code GET /devices/get?id=&kind=} answers {@code {"device": "<text>"}} (404 when none) and
 * {@code GET /devices/explain?id=&kind=&profile=&at=} answers {@code {"explanation": "<text>"}}, the exact text the
 * offline commands print ({@link DeviceLookup}), decided with the profiles the gateway runs with now.
 */
final class DeviceOperations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeviceOperations() {
    }

    static Map<String, MetricsServer.Operation> endpoints(ComplianceStore store, AccessPolicy policy, Clock clock) {
        return Map.of("/devices/get", (method, query) -> {
            Map<String, String> q = SessionListing.parseQuery(query);
            MetricsServer.Reply bad = check(method, q);
            if (bad != null) {
                return bad;
            }
            Optional<String> shown;
            try {
                shown = DeviceLookup.show(store, q.get("id"), q.get("kind"));
            } catch (IllegalArgumentException e) {
                return error(400, e.getMessage());
            }
            return shown.map(t -> reply(200, "device", t))
                    .orElseGet(() -> error(404, "no device with identifier '" + q.get("id") + "'"));
        }, "/devices/explain", (method, query) -> {
            Map<String, String> q = SessionListing.parseQuery(query);
            MetricsServer.Reply bad = check(method, q);
            if (bad != null) {
                return bad;
            }
            try {
                Instant at = q.containsKey("at") ? Instant.parse(q.get("at")) : clock.instant();
                return reply(200, "explanation", DeviceLookup.explain(store, policy, q.get("id"), q.get("kind"),
                        q.get("profile"), at));
            } catch (DateTimeParseException e) {
                return error(400, "at must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '" + q.get("at") + "'");
            } catch (IllegalArgumentException e) {
                return error(400, e.getMessage());
            }
        });
    }

    private static MetricsServer.Reply check(String method, Map<String, String> q) {
        if (!method.equals("GET")) {
            return error(405, "use GET");
        }
        if (q.get("id") == null || q.get("id").isBlank()) {
            return error(400, "id is required (a MAC, device id, IMEI, MEID, UDID or serial)");
        }
        return null;
    }

    private static MetricsServer.Reply reply(int status, String field, String text) {
        ObjectNode n = JSON.createObjectNode();
        n.put(field, text);
        return new MetricsServer.Reply(status, n.toString());
    }

    static MetricsServer.Reply error(int status, String message) {
        return reply(status, "error", message);
    }
}
