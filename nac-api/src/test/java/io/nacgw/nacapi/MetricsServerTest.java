package io.nacgw.nacapi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class MetricsServerTest {

    @Test
    void healthAndMetrics_onLocalhost() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (MetricsServer m = MetricsServer.start(new MetricsServer.Settings("127.0.0.1", 0),
                () -> "# TYPE nacgw_up gauge\nnacgw_up 1\n", up::get)) {
            assertTrue(m.address().getAddress().isLoopbackAddress());
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + m.address().getPort();
            HttpResponse<String> h = c.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, h.statusCode());
            assertEquals("{\"status\":\"up\"}", h.body());
            HttpResponse<String> metrics = c.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertEquals(MetricsServer.PROMETHEUS, metrics.headers().firstValue("Content-Type").orElse(""));
            assertTrue(metrics.body().contains("nacgw_up 1"));
            up.set(false);
            assertEquals(503, c.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, c.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void operations_getMethodAndQuery_failuresAre500() throws Exception {
        java.util.Map<String, MetricsServer.Operation> ops = java.util.Map.of(
                "/echo", (method, query) -> new MetricsServer.Reply(method.equals("POST") ? 202 : 200,
                        "{\"method\":\"" + method + "\",\"query\":\"" + query + "\"}"),
                "/boom", (method, query) -> {
                    throw new IllegalStateException("broken");
                });
        try (MetricsServer m = MetricsServer.start(new MetricsServer.Settings("127.0.0.1", 0), () -> "", () -> true, ops)) {
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + m.address().getPort();
            HttpResponse<String> post = c.send(HttpRequest.newBuilder(URI.create(base + "/echo?mode=full"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, post.statusCode());
            assertEquals("{\"method\":\"POST\",\"query\":\"mode=full\"}", post.body());
            HttpResponse<String> boom = c.send(HttpRequest.newBuilder(URI.create(base + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, boom.statusCode());
            assertEquals(405, c.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /**
     * With metrics.host opened for remote scrapers, a peer from another address still gets /metrics and /health, but
     * every operation (reload, backup, debug trace...) is refused with 403; loopback peers keep them.
     */
    @Test
    void operations_areRefusedToNonLoopbackPeers() throws Exception {
        java.net.InetAddress external = null;
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    external = a;
                }
            }
        }
        assertTrue(external != null, "this test needs a non-loopback IPv4 address on an interface that is up");
        java.util.Map<String, MetricsServer.Operation> ops = java.util.Map.of(
                "/reload", (method, query) -> new MetricsServer.Reply(200, "{\"applied\":true}"));
        try (MetricsServer m = MetricsServer.start(new MetricsServer.Settings("0.0.0.0", 0), () -> "nacgw_up 1\n",
                () -> true, ops)) {
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String remote = "http://" + external.getHostAddress() + ":" + m.address().getPort();
            HttpResponse<String> refused = c.send(HttpRequest.newBuilder(URI.create(remote + "/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("loopback"), refused.body());
            assertEquals(200, c.send(HttpRequest.newBuilder(URI.create(remote + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, c.send(HttpRequest.newBuilder(URI.create(remote + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> local = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + m.address().getPort() + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, local.statusCode());
        }
    }

    @Test
    void defaults_bindLocalhost9464() {
        assertEquals(new MetricsServer.Settings("127.0.0.1", 9464), MetricsServer.Settings.defaults());
    }
}
