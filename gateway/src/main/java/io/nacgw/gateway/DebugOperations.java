package io.nacgw.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nacgw.core.id.MacAddress;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.sessions.SessionListing;
import io.nacgw.radius.server.DebugTrace;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code nacgw debug} on the localhost operations port: {@code POST /debug/start?mac=|nas=&seconds=&events=} starts
 * a trace session (one at a time: 409 while another runs), {@code GET /debug/poll?session=} takes the events recorded
 * since the last poll ({@code ended} once the session is over), {@code POST /debug/stop?session=} ends it early.
 */
final class DebugOperations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DebugOperations() {
    }

    /** The endpoints; with RADIUS off ({@code trace} null) they answer 409. */
    static Map<String, MetricsServer.Operation> endpoints(DebugTrace trace) {
        Map<String, MetricsServer.Operation> m = new HashMap<>();
        m.put("/debug/start", (method, query) -> {
            if (!method.equals("POST")) {
                return DeviceOperations.error(405, "use POST");
            }
            if (trace == null) {
                return DeviceOperations.error(409, "RADIUS is not enabled (radius.enabled): nothing to trace");
            }
            Map<String, String> q = SessionListing.parseQuery(query);
            MacAddress mac = null;
            if (q.get("mac") != null) {
                mac = MacAddress.tryParse(q.get("mac").strip());
                if (mac == null) {
                    return DeviceOperations.error(400, "mac '" + q.get("mac") + "' is not a MAC address");
                }
            }
            long id;
            try {
                id = trace.start(mac, q.get("nas"), Duration.ofSeconds(number(q, "seconds", 60)),
                        (int) Math.min(number(q, "events", 1000), Integer.MAX_VALUE));
            } catch (IllegalArgumentException e) {
                return DeviceOperations.error(400, e.getMessage());
            } catch (IllegalStateException e) {
                return DeviceOperations.error(409, e.getMessage());
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("session", id);
            return new MetricsServer.Reply(200, n.toString());
        });
        m.put("/debug/poll", (method, query) -> {
            if (!method.equals("GET")) {
                return DeviceOperations.error(405, "use GET");
            }
            if (trace == null) {
                return DeviceOperations.error(409, "RADIUS is not enabled (radius.enabled): nothing to trace");
            }
            DebugTrace.Batch b;
            try {
                b = trace.poll(number(SessionListing.parseQuery(query), "session", -1));
            } catch (IllegalArgumentException e) {
                return DeviceOperations.error(400, e.getMessage());
            }
            ObjectNode n = JSON.createObjectNode();
            ArrayNode events = n.putArray("events");
            b.events().forEach(events::add);
            n.put("ended", b.ended());
            n.put("emitted", b.emitted());
            n.put("dropped", b.dropped());
            return new MetricsServer.Reply(200, n.toString());
        });
        m.put("/debug/stop", (method, query) -> {
            if (!method.equals("POST")) {
                return DeviceOperations.error(405, "use POST");
            }
            if (trace != null) {
                try {
                    trace.stop(number(SessionListing.parseQuery(query), "session", -1));
                } catch (IllegalArgumentException e) {
                    return DeviceOperations.error(400, e.getMessage());
                }
            }
            return new MetricsServer.Reply(200, "{}");
        });
        return m;
    }

    private static long number(Map<String, String> q, String key, long otherwise) {
        String v = q.get(key);
        if (v == null) {
            if (otherwise < 0) {
                throw new IllegalArgumentException(key + " is required");
            }
            return otherwise;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }
}
