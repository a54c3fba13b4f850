package io.nacgw.gateway;

import io.nacgw.core.session.SessionFilter;
import io.nacgw.core.session.SessionStore;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.sessions.SessionListing;

import java.time.Clock;
import java.util.Map;

/**
 * The session table on the localhost operations port: {@code GET /sessions?mac=&nas=&active=&limit=} (the same
 * query and JSON as {@code GET /api/v1/sessions}); {@code nacgw sessions list} calls it. Like every operation it runs
 * on the operations thread, never on the server's event loop.
 */
final class SessionOperations {
    private SessionOperations() {
    }

    /** The endpoint. */
    static Map<String, MetricsServer.Operation> endpoints(SessionStore sessions, Clock clock) {
        return Map.of("/sessions", (method, query) -> {
            if (!method.equals("GET")) {
                return error(405, "use GET");
            }
            SessionFilter filter;
            try {
                filter = SessionListing.filter(SessionListing.parseQuery(query));
            } catch (IllegalArgumentException e) {
                return error(400, e.getMessage());
            }
            return new MetricsServer.Reply(200, SessionListing.json(sessions.list(filter), filter, clock.instant()));
        });
    }

    private static MetricsServer.Reply error(int status, String message) {
        return new MetricsServer.Reply(status, "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
