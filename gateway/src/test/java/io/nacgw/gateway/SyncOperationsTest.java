package io.nacgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.sync.SyncMode;
import io.nacgw.sync.SyncReport;
import io.nacgw.sync.SyncService;
import io.nacgw.sync.SyncStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /sync/status} and {@code /sync/run} on the operations port, against a scripted connector. */
final class SyncOperationsTest {
    private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

    /** A connector whose run slot the test holds or frees. */
    private static final class ScriptedSync implements SyncService {
        boolean busy;
        final List<SyncMode> started = new ArrayList<>();
        SyncStatus status;

        @Override
        public void start() {
        }

        @Override
        public void tickNow() {
        }

        @Override
        public SyncReport runFull() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SyncReport runIncremental() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<CompletableFuture<SyncReport>> startAsync(SyncMode mode, Executor executor) {
            if (busy) {
                return Optional.empty();
            }
            busy = true;
            started.add(mode);
            return Optional.of(new CompletableFuture<>());
        }

        @Override
        public SyncStatus status() {
            return status;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void run_claimsTheSlotAtOnce_secondRequestIs409() {
        ScriptedSync sync = new ScriptedSync();
        try (SyncOperations ops = new SyncOperations(sync, ClusterRole.solo("gw1"))) {
            MetricsServer.Operation run = SyncOperations.endpoints(ops).get("/sync/run");
            assertEquals(202, run.handle("POST", "mode=incremental").status());
            assertEquals(409, run.handle("POST", "").status());
            assertEquals(List.of(SyncMode.INCREMENTAL), sync.started);
            assertEquals(400, run.handle("POST", "mode=sideways").status());
            assertEquals(405, run.handle("GET", "").status());
        }
    }

    /** A follower of node {@code leader} (null: no leader known). */
    private static ClusterRole follower(String leader) {
        return new ClusterRole() {
            @Override
            public boolean isLeader() {
                return false;
            }

            @Override
            public String nodeName() {
                return "gw-b";
            }

            @Override
            public Optional<String> leaderName() {
                return Optional.ofNullable(leader);
            }
        };
    }

    @Test
    void run_onAFollower_isRefusedNamingTheLeader_andStartsNothing() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        try (SyncOperations ops = new SyncOperations(sync, follower("gw-a"))) {
            MetricsServer.Reply r = SyncOperations.endpoints(ops).get("/sync/run").handle("POST", "mode=full");
            assertEquals(409, r.status());
            JsonNode n = new ObjectMapper().readTree(r.json());
            assertEquals("gw-a", n.path("leader").asText());
            assertTrue(n.path("error").asText().contains("node gw-a runs the MDM sync"), r.json());
            assertTrue(sync.started.isEmpty());
        }
        try (SyncOperations ops = new SyncOperations(sync, follower(null))) {
            MetricsServer.Reply r = SyncOperations.endpoints(ops).get("/sync/run").handle("POST", "");
            assertEquals(503, r.status());
            assertTrue(r.json().contains("no node leads"), r.json());
            assertTrue(sync.started.isEmpty());
        }
    }

    @Test
    void status_onAFollower_namesThisNodeAndTheLeader() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        sync.status = new SyncStatus(false, null, null, null, null, null, null, null, 0, 0, 0, 0, 0,
                Duration.ofMinutes(5), 0, 0, null, null, 0);
        try (SyncOperations ops = new SyncOperations(sync, follower("gw-a"))) {
            JsonNode n = new ObjectMapper().readTree(SyncOperations.endpoints(ops).get("/sync/status").handle("GET", "").json());
            assertEquals("gw-b", n.path("cluster").path("node").asText());
            assertEquals("follower", n.path("cluster").path("role").asText());
            assertEquals("gw-a", n.path("cluster").path("leader").asText());
        }
    }

    @Test
    void status_showsOverlapClampsAndRetireGuard() throws Exception {
        ScriptedSync sync = new ScriptedSync();
        SyncReport.RetireGuard guard = new SyncReport.RetireGuard(T, 2_492, 2_493, 500);
        SyncReport last = new SyncReport(SyncMode.FULL, SyncReport.Outcome.SUCCEEDED, T, Duration.ofSeconds(3), 3,
                1, 0, 1, 0, 0, 1, 0, 0, null, 1, 0, T.plusSeconds(30), 2_492, 0, guard);
        sync.status = new SyncStatus(false, null, T, null, null, T, T.minusSeconds(60), last, 4, 0, 10, 0, 1,
                Duration.ofMinutes(5), 1, 1, new SyncStatus.MarkClamp(T, 1, Instant.parse("2090-01-01T00:00:00Z"),
                T.minusSeconds(60)), guard, 1);
        try (SyncOperations ops = new SyncOperations(sync, ClusterRole.solo("gw1"))) {
            MetricsServer.Reply r = SyncOperations.endpoints(ops).get("/sync/status").handle("GET", "");

            assertEquals(200, r.status());
            JsonNode n = new ObjectMapper().readTree(r.json());
            assertEquals(300, n.path("incrementalOverlapSeconds").asLong());
            assertEquals(1, n.path("clampEvents").asLong());
            assertEquals("2090-01-01T00:00:00Z", n.path("lastClamp").path("latestReported").asText());
            assertEquals(T.minusSeconds(60).toString(), n.path("lastClamp").path("mark").asText());
            assertEquals(2_492, n.path("retireGuard").path("candidates").asLong());
            assertEquals(500, n.path("retireGuard").path("threshold").asLong());
            assertEquals(2_493, n.path("lastRun").path("retireGuard").path("fleet").asLong());
            assertEquals(1, n.path("lastRun").path("futureTimestamps").asLong());
            assertTrue(n.path("lastRun").has("markClampedFrom"), r.json());
            assertEquals("gw1", n.path("cluster").path("node").asText());
            assertEquals("leader", n.path("cluster").path("role").asText());
            assertEquals("gw1", n.path("cluster").path("leader").asText());
        }
    }
}
