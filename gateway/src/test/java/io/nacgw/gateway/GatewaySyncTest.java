package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.sync.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sync connector wired by the gateway from config: a lookup through the gateway reflects the next sync. */
final class GatewaySyncTest {
    @TempDir
    Path dir;

    private static final String DEVICE = "{\"id\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\",\"deviceName\":\"LAPTOP-9\","
            + "\"operatingSystem\":\"Windows\",\"complianceState\":\"%s\",\"managementAgent\":\"mdm\","
            + "\"managedDeviceOwnerType\":\"company\",\"wiFiMacAddress\":\"AABBCCDDEE09\",\"lastSyncDateTime\":\"%s\"}";

    @Test
    void gatewayWithSyncEnabled_lookupReflectsTheNextSync() throws Exception {
        AtomicReference<String> state = new AtomicReference<>("compliant");
        HttpServer graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        graph.createContext("/token", ex -> respond(ex,
                "{\"access_token\":\"t0k3n\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        graph.createContext("/v1.0/deviceManagement/managedDevices", ex -> respond(ex,
                "{\"value\":[" + DEVICE.formatted(state.get(), java.time.Instant.now().toString()) + "]}"));
        graph.start();
        try {
            String root = "http://127.0.0.1:" + graph.getAddress().getPort();
            Path secret = dir.resolve("graph.secret");
            Files.writeString(secret, "client-secret\n");
            Path cfg = dir.resolve("nacgw.yaml");
            Files.writeString(cfg, """
                    radius: {enabled: false}
                    api: {enabled: false}
                    metrics: {port: %d}
                    sync:
                      enabled: true
                      tokenUrl: %s/token
                      clientId: app
                      clientSecretFile: %s
                      baseUrl: %s/v1.0
                      incrementalInterval: 0
                    policy:
                      profiles:
                        wifi: {}
                    """.formatted(TestConfig.freePort(), root, secret, root));
            NacgwConfig config = new ConfigLoader().load(cfg, Map.of(), new Properties());
            try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
                MacAddress mac = MacAddress.parse("AABBCCDDEE09");
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (g.sync().orElseThrow().status().lastSuccess() == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.sleep(20); // waiting for the first scheduled run to finish, not for time to pass
                }
                DeviceRecord d = g.compliance().lookup(mac).join().orElseThrow();
                assertEquals(ComplianceState.COMPLIANT, d.complianceState());
                state.set("noncompliant");
                SyncReport r = g.sync().orElseThrow().runFull();
                assertEquals(SyncReport.Outcome.SUCCEEDED, r.outcome(), String.valueOf(r.error()));
                assertEquals(ComplianceState.NONCOMPLIANT, g.compliance().lookup(mac).join().orElseThrow().complianceState());
                assertTrue(g.metrics().scrape().contains("nacgw_sync_runs_total 2.0"), g.metrics().scrape());
                assertTrue(g.metrics().scrape().contains("nacgw_sync_retire_guard 0.0"), g.metrics().scrape());
                assertTrue(g.metrics().scrape().contains("nacgw_sync_incremental_overlap_seconds 300.0"),
                        g.metrics().scrape());

                // the operator's view: nacgw sync status / run through the localhost operations port
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                java.io.PrintStream old = System.out;
                System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
                int status;
                int run;
                try {
                    status = Main.execute("sync", "status", "--config", cfg.toString());
                    state.set("inGracePeriod");
                    run = Main.execute("sync", "run", "--full", "--config", cfg.toString());
                } finally {
                    System.setOut(old);
                }
                String text = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, status, text);
                assertTrue(text.contains("runs                 2"), text);
                assertTrue(text.contains("incrementalOverlapSeconds 300"), text);
                assertTrue(text.contains("clampEvents          0"), text);
                assertTrue(text.contains("retireGuardEvents    0"), text);
                assertEquals(0, run, text);
                assertTrue(text.contains("outcome              succeeded"), text);
                assertEquals(ComplianceState.IN_GRACE_PERIOD, g.compliance().lookup(mac).join().orElseThrow().complianceState());
            }
        } finally {
            graph.stop(0);
        }
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
