package io.nacgw.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.sync.SyncMode;
import io.nacgw.sync.SyncReport;
import io.nacgw.sync.SyncService;
import io.nacgw.sync.SyncStatus;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sync connector on the localhost operations port: {@code GET /sync/status} and
 * {@code POST /sync/run?mode=full|incremental} (202 started, 409 a run is going); {@code nacgw sync} calls them.
 * A requested run executes on its own thread, never on the server's. With several nodes on one store only the sync
 * leader runs syncs: on another node {@code /sync/run} is refused (409) naming the leader, where to run it, and
 * {@code /sync/status} says which node this is and which one leads.
 */
final class SyncOperations implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SyncOperations.class);
    private static final JsonFactory JSON = new JsonFactory();
    private final SyncService sync;
    private final ClusterRole role;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(DaemonThreads.named("nacgw-sync-on-demand"));

    SyncOperations(SyncService sync, ClusterRole role) {
        this.sync = sync;
        this.role = role;
    }

    /** The endpoints; with sync disabled they answer 404 with an explanation. */
    static Map<String, MetricsServer.Operation> endpoints(SyncOperations ops) {
        return liveEndpoints(() -> ops);
    }

    /** As {@link #endpoints(SyncOperations)} for a connector a reload may turn on or off (null: disabled now). */
    static Map<String, MetricsServer.Operation> liveEndpoints(java.util.function.Supplier<SyncOperations> current) {
        MetricsServer.Operation status = (method, query) -> {
            SyncOperations ops = current.get();
            return ops == null ? disabled()
                    : method.equals("GET") ? new MetricsServer.Reply(200, json(ops.sync.status(), ops.role))
                    : new MetricsServer.Reply(405, "{\"error\":\"use GET\"}");
        };
        MetricsServer.Operation run = (method, query) -> {
            SyncOperations ops = current.get();
            return ops == null ? disabled()
                    : method.equals("POST") ? ops.run(query) : new MetricsServer.Reply(405, "{\"error\":\"use POST\"}");
        };
        return Map.of("/sync/status", status, "/sync/run", run);
    }

    private static MetricsServer.Reply disabled() {
        return new MetricsServer.Reply(404, "{\"error\":\"sync is not enabled (sync.enabled: false)\"}");
    }

    private MetricsServer.Reply run(String query) {
        boolean full = !query.contains("mode=incremental");
        if (!query.isEmpty() && !query.equals("mode=full") && !query.equals("mode=incremental")) {
            return new MetricsServer.Reply(400, "{\"error\":\"mode must be full or incremental\"}");
        }
        if (!role.isLeader()) {
            String leader = role.leaderName().orElse(null);
            return leader == null
                    ? new MetricsServer.Reply(503, "{\"error\":" + quote("this node (" + role.nodeName() + ") is not the "
                    + "sync leader and no node leads right now (is the store reachable?): try again in a few seconds")
                    + ",\"node\":" + quote(role.nodeName()) + "}")
                    : new MetricsServer.Reply(409, "{\"error\":" + quote("this node (" + role.nodeName() + ") is not the "
                    + "sync leader: node " + leader + " runs the MDM sync; run `nacgw sync run` on " + leader)
                    + ",\"node\":" + quote(role.nodeName()) + ",\"leader\":" + quote(leader) + "}");
        }
        Instant requested = Instant.now();
        // checking for a run and claiming the slot is one step: a 202 is never followed by a refused run
        Optional<CompletableFuture<SyncReport>> started;
        try {
            started = sync.startAsync(full ? SyncMode.FULL : SyncMode.INCREMENTAL, runner);
        } catch (RejectedExecutionException e) {
            return new MetricsServer.Reply(503, "{\"error\":\"the gateway is stopping\"}");
        }
        if (started.isEmpty()) {
            return new MetricsServer.Reply(409, "{\"error\":\"a sync is already running\"}");
        }
        started.get().thenAccept(r -> log.info("on-demand {} sync: {}", r.mode().wireName(), r.outcome()));
        return new MetricsServer.Reply(202, "{\"started\":true,\"mode\":\"" + (full ? "full" : "incremental")
                + "\",\"requested\":\"" + requested + "\"}");
    }

    private static String quote(String text) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String json(SyncStatus s, ClusterRole role) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart("cluster");
            g.writeStringField("node", role.nodeName());
            g.writeStringField("role", role.isLeader() ? "leader" : "follower");
            string(g, "leader", role.leaderName().orElse(null));
            g.writeEndObject();
            g.writeBooleanField("running", s.running());
            string(g, "runningMode", s.runningMode() == null ? null : s.runningMode().name().toLowerCase(java.util.Locale.ROOT));
            string(g, "lastSuccess", s.lastSuccess());
            string(g, "lastFailure", s.lastFailure());
            string(g, "lastError", s.lastError());
            string(g, "lastFullSuccess", s.lastFullSuccess());
            string(g, "highWaterMark", s.highWaterMark());
            g.writeNumberField("runs", s.runs());
            g.writeNumberField("failedRuns", s.failedRuns());
            g.writeNumberField("totalChangesApplied", s.totalChangesApplied());
            g.writeNumberField("totalRetired", s.totalRetired());
            g.writeNumberField("totalWarnings", s.totalWarnings());
            g.writeNumberField("incrementalOverlapSeconds", s.incrementalOverlap().toSeconds());
            g.writeNumberField("totalFutureTimestamps", s.totalFutureTimestamps());
            g.writeNumberField("clampEvents", s.clampEvents());
            SyncStatus.MarkClamp c = s.lastClamp();
            if (c != null) {
                g.writeObjectFieldStart("lastClamp");
                string(g, "runStarted", c.runStarted());
                g.writeNumberField("futureTimestamps", c.futureTimestamps());
                string(g, "latestReported", c.latestReported());
                string(g, "mark", c.mark());
                g.writeEndObject();
            }
            g.writeNumberField("retireGuardEvents", s.retireGuardEvents());
            guard(g, s.retireGuard());
            SyncReport r = s.lastRun();
            if (r != null) {
                g.writeObjectFieldStart("lastRun");
                string(g, "mode", r.mode().name().toLowerCase(java.util.Locale.ROOT));
                string(g, "outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
                string(g, "started", r.started());
                g.writeNumberField("durationMillis", r.duration().toMillis());
                g.writeNumberField("pages", r.pages());
                g.writeNumberField("devicesSeen", r.devicesSeen());
                g.writeNumberField("changesApplied", r.changesApplied());
                g.writeNumberField("unchanged", r.unchanged());
                g.writeNumberField("staleIgnored", r.staleIgnored());
                g.writeNumberField("retired", r.retired());
                g.writeNumberField("warnings", r.warnings());
                g.writeNumberField("skippedDevices", r.skippedDevices());
                g.writeNumberField("retries", r.retries());
                g.writeNumberField("futureTimestamps", r.futureTimestamps());
                g.writeNumberField("futureStampsReplaced", r.futureStampsReplaced());
                string(g, "markClampedFrom", r.markClampedFrom());
                g.writeNumberField("retireCandidates", r.retireCandidates());
                g.writeNumberField("retireConfirmedPresent", r.retireConfirmedPresent());
                guard(g, r.retireGuard());
                string(g, "error", r.error());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void guard(JsonGenerator g, SyncReport.RetireGuard guard) throws IOException {
        if (guard != null) {
            g.writeObjectFieldStart("retireGuard");
            string(g, "at", guard.at());
            g.writeNumberField("candidates", guard.candidates());
            g.writeNumberField("fleet", guard.fleet());
            g.writeNumberField("threshold", guard.threshold());
            g.writeEndObject();
        }
    }

    private static void string(JsonGenerator g, String name, Object v) throws IOException {
        if (v != null) {
            g.writeStringField(name, v.toString());
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
