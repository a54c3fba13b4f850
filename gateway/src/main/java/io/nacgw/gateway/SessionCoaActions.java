package io.nacgw.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionStore;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.sessions.SessionActions;
import io.nacgw.radius.coa.CoaResult;
import io.nacgw.radius.coa.SessionReauthorizer;
import io.nacgw.radius.server.SessionWriter;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The operator's CoA: re-authenticate or disconnect a session by nacgw's session id (the admin API's
 * {@code POST /api/v1/sessions/{id}:reauthenticate|disconnect}) or every active session of a MAC or one session
 * (the localhost operations port's {@code POST /sessions/reauth?mac=M|session=ID[&disconnect=true]}, which
 * {@code nacgw sessions reauth} calls). Lookups run on this class's own thread; the answer waits for the NAS.
 */
final class SessionCoaActions implements SessionActions, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionStore sessions;
    private final SessionReauthorizer reauthorizer;
    private final Clock clock;
    private final SessionWriter lookups = new SessionWriter("nacgw-coa-ops", 1, 64);

    /** {@code reauthorizer} null: CoA is off, every action answers 409. */
    SessionCoaActions(SessionStore sessions, SessionReauthorizer reauthorizer, Clock clock) {
        this.sessions = sessions;
        this.reauthorizer = reauthorizer;
        this.clock = clock;
    }

    @Override
    public CompletionStage<MetricsServer.Reply> act(String sessionId, boolean disconnect) {
        return act(sessionId, null, disconnect);
    }

    /** For one session ({@code sessionId}) or every active session of {@code mac}. */
    CompletionStage<MetricsServer.Reply> act(String sessionId, MacAddress mac, boolean disconnect) {
        if (reauthorizer == null) {
            return done(409, "CoA is off on this gateway (radius.coa.enabled: false)");
        }
        CompletableFuture<List<Session>> found;
        try {
            found = CompletableFuture.supplyAsync(() -> {
                if (sessionId != null) {
                    return sessions.find(sessionId).filter(s -> s.active(clock.instant())).map(List::of).orElse(List.of());
                }
                return sessions.activeSessionsForMac(mac);
            }, lookups);
        } catch (RejectedExecutionException e) {
            return done(503, "too many session actions at once; retry");
        }
        return found.thenCompose(list -> {
            if (list.isEmpty()) {
                return done(404, sessionId != null ? "no active session with id '" + sessionId + "'"
                        : "no active session for MAC " + mac.canonical());
            }
            List<CompletableFuture<CoaResult>> sent = new ArrayList<>();
            for (Session s : list) {
                sent.add(reauthorizer.reauthorize(s, disconnect));
            }
            return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                    .thenApply(x -> new MetricsServer.Reply(200, json(sent)));
        });
    }

    private static String json(List<CompletableFuture<CoaResult>> sent) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (CompletableFuture<CoaResult> f : sent) {
            CoaResult r = f.join();
            ObjectNode o = results.addObject();
            o.put("session", r.request().sessionLabel());
            o.put("nas", r.request().nas());
            o.put("destination", r.destination());
            o.put("sent", r.sent());
            o.put("answer", r.answer().wireName());
            if (r.errorCause() == null) {
                o.putNull("errorCause");
            } else {
                o.put("errorCause", r.errorCause());
            }
            o.put("attempts", r.attempts());
            o.put("latencyMillis", r.latencyNanos() / 1e6);
        }
        return root.toString();
    }

    /** The operations port endpoint. */
    Map<String, MetricsServer.Operation> endpoints() {
        // operations run one at a time on the operations thread: this one waits there for the NAS's answer
        return Map.of("/sessions/reauth", (method, query) -> reauth(method, query).toCompletableFuture().join());
    }

    private CompletionStage<MetricsServer.Reply> reauth(String method, String query) {
        if (!method.equals("POST")) {
            return done(405, "use POST");
        }
        Map<String, String> q = parse(query);
        String session = q.get("session");
        String macText = q.get("mac");
        if ((session == null) == (macText == null)) {
            return done(400, "name either session=ID or mac=MAC");
        }
        MacAddress mac = macText == null ? null : MacAddress.tryParse(macText);
        if (macText != null && mac == null) {
            return done(400, "mac '" + macText + "' is not a MAC address");
        }
        String d = q.getOrDefault("disconnect", "false");
        if (!d.equals("true") && !d.equals("false")) {
            return done(400, "disconnect must be true or false");
        }
        return act(session, mac, d.equals("true"));
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static CompletableFuture<MetricsServer.Reply> done(int status, String error) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", error);
        return CompletableFuture.completedFuture(new MetricsServer.Reply(status, o.toString()));
    }

    @Override
    public void close() {
        lookups.close();
    }
}
