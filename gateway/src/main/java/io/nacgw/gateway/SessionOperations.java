package io.nacgw.gateway;

import io.nacgw.core.session.SessionFilter;
import io.nacgw.core.session.SessionStore;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.SessionListing;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The session table on the localhost operations port: {@code GET /sessions?mac=&nas=&active=&limit=} (the same
 * query and JSON as {@code GET /api/v1/sessions}); {@code nacgw sessions list} calls it. The table is read on this
 * class's own thread, never on the server's.
 */
final class SessionOperations implements AutoCloseable {
    private final SessionStore sessions;
    private final Clock clock;
    private final ThreadPoolExecutor reader = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "nacgw-sessions-ops");
                t.setDaemon(true);
                return t;
            });

    SessionOperations(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** The endpoint. */
    Map<String, MetricsServer.Operation> endpoints() {
        return Map.of("/sessions", MetricsServer.Operation.async(this::list));
    }

    private CompletionStage<MetricsServer.Reply> list(String method, String query) {
        if (!method.equals("GET")) {
            return done(405, "use GET");
        }
        SessionFilter filter;
        try {
            filter = SessionListing.filter(SessionListing.parseQuery(query));
        } catch (IllegalArgumentException e) {
            return done(400, e.getMessage());
        }
        try {
            return CompletableFuture.supplyAsync(() -> new MetricsServer.Reply(200,
                    SessionListing.json(sessions.list(filter), filter, clock.instant())), reader);
        } catch (RejectedExecutionException e) {
            return done(503, "too many session listings at once; retry");
        }
    }

    private static CompletionStage<MetricsServer.Reply> done(int status, String error) {
        return CompletableFuture.completedFuture(new MetricsServer.Reply(status,
                "{\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"));
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
