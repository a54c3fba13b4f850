package io.nacgw.gateway.cli;

import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.testing.Needs;
import io.nacgw.gateway.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw run --check} validates and exits: it binds no port, touches no listener and starts no sync. */
final class RunCheckTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void check_portsHeldByOthers_reportedAsInUse_listenersUntouched_noSync() throws Exception {
        Needs.that(Files.isReadable(Path.of("/proc/net/tcp")), "/proc/net/tcp (Linux)");
        AtomicInteger graphRequests = new AtomicInteger();
        HttpServer graph = fakeGraph(graphRequests);
        try (ServerSocket metricsHolder = new ServerSocket(0, 5, LOOPBACK);
             DatagramSocket radiusHolder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            radiusHolder.setSoTimeout(5_000);
            Path cfg = config(graph, radiusHolder.getLocalPort(), 0, metricsHolder.getLocalPort());

            Cli.Result r = Cli.run("run", "--config", cfg.toString(), "--check");

            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("FAILED  metrics (metrics.port): TCP 127.0.0.1:" + metricsHolder.getLocalPort()
                    + " is in use by another socket"), r.out());
            assertTrue(r.out().contains("FAILED  RADIUS authentication (radius.authPort): UDP 127.0.0.1:"
                    + radiusHolder.getLocalPort() + " is in use"), r.out());
            assertTrue(r.out().contains("ok      store: reachable and migrated, 0 devices"), r.out());
            assertTrue(r.out().contains("check failed"), r.out());
            // both listeners still serve: nothing took their port or closed them
            try (Socket c = new Socket(LOOPBACK, metricsHolder.getLocalPort()); Socket accepted = metricsHolder.accept()) {
                assertTrue(accepted.isConnected() && c.isConnected());
            }
            try (DatagramSocket client = new DatagramSocket()) {
                client.send(new DatagramPacket(new byte[] {42}, 1, LOOPBACK, radiusHolder.getLocalPort()));
            }
            DatagramPacket in = new DatagramPacket(new byte[8], 8);
            radiusHolder.receive(in);
            assertEquals(42, in.getData()[0]);
            assertEquals(0, graphRequests.get(), "a check must not start a sync");
        } finally {
            graph.stop(0);
        }
    }

    @Test
    void check_allFree_okAndStillNothingListening() throws Exception {
        Needs.that(Files.isReadable(Path.of("/proc/net/tcp")), "/proc/net/tcp (Linux)");
        AtomicInteger graphRequests = new AtomicInteger();
        HttpServer graph = fakeGraph(graphRequests);
        try {
            int api = TestConfig.freePort();
            int metrics = TestConfig.freePort();
            Path cfg = config(graph, 0, api, metrics);

            Cli.Result r = Cli.run("run", "--config", cfg.toString(), "--check");

            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("ok      HTTPS API (api.port): TCP 127.0.0.1:" + api + " free"), r.out());
            assertTrue(r.out().contains("ok      certificates: none in "), r.out());
            assertTrue(r.out().contains("configuration OK"), r.out());
            assertFalse(r.out().contains("HTTPS API: "), r.out()); // the start banner of a real run
            assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, api).close());
            assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, metrics).close());
            try (var files = Files.walk(dir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("pki")), "a check creates no certificates");
            }
            assertEquals(0, graphRequests.get(), "a check must not start a sync");
        } finally {
            graph.stop(0);
        }
    }

    @Test
    void check_dataDirectoryHeldByARunningGateway_isReported() throws Exception {
        Path cfg = dir.resolve("nacgw.yaml");
        Files.writeString(cfg, "dataDir: data\napi: {enabled: false}\nmetrics: {enabled: false}\n"
                + "radius: {enabled: false}\npolicy: {profiles: {wifi: {}}}\n");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        try (io.nacgw.gateway.DataDirLock held = io.nacgw.gateway.DataDirLock.acquire(data)) {
            Cli.Result r = Cli.run("run", "--config", cfg.toString(), "--check");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("FAILED  data directory: " + data + " is held by a running nacgw"), r.out());
        }
        Cli.Result free = Cli.run("run", "--config", cfg.toString(), "--check");
        assertTrue(free.out().contains("ok      data directory: "), free.out());
    }

    private static HttpServer fakeGraph(AtomicInteger requests) throws IOException {
        HttpServer graph = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        graph.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        graph.start();
        return graph;
    }

    @Test
    void check_radsecPortHeld_isReportedAsInUse() throws Exception {
        Needs.that(Files.isReadable(Path.of("/proc/net/tcp")), "/proc/net/tcp (Linux)");
        try (ServerSocket holder = new ServerSocket(0, 5, LOOPBACK)) {
            Path cfg = dir.resolve("radsec.yaml");
            Files.writeString(cfg, """
                    radius:
                      bindAddress: 127.0.0.1
                      authPort: 0
                      acctPort: 0
                      radsec: {enabled: true, port: %d}
                    api: {enabled: false}
                    metrics: {enabled: false}
                    policy:
                      profiles:
                        wifi: {}
                    """.formatted(holder.getLocalPort()));
            Cli.Result r = Cli.run("run", "--config", cfg.toString(), "--check");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("FAILED  RadSec (radius.radsec.port): TCP 127.0.0.1:" + holder.getLocalPort()
                    + " is in use by another socket"), r.out());
        }
    }

    private Path config(HttpServer graph, int radiusPort, int apiPort, int metricsPort) throws IOException {
        String root = "http://127.0.0.1:" + graph.getAddress().getPort();
        Path secret = dir.resolve("graph.secret");
        Files.writeString(secret, "client-secret\n");
        Path cfg = dir.resolve("nacgw.yaml");
        Files.writeString(cfg, """
                radius:
                  bindAddress: 127.0.0.1
                  authPort: %d
                  acctPort: 0
                  clients:
                    lab: {address: 127.0.0.1, secrets: [testing123-testing123]}
                api: {host: 127.0.0.1, port: %d}
                metrics: {host: 127.0.0.1, port: %d}
                sync:
                  enabled: true
                  tokenUrl: %s/token
                  clientId: app
                  clientSecretFile: %s
                  baseUrl: %s/v1.0
                policy:
                  profiles:
                    wifi: {}
                """.formatted(radiusPort, apiPort, metricsPort, root, secret, root));
        return cfg;
    }
}
