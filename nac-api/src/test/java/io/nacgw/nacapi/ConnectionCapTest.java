package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle connections are capped per source address and in total (a refused one is reset at once), a silent client
 * is dropped at the TLS handshake timeout, and the operations port answers while the API port is full.
 */
final class ConnectionCapTest {

    private static Socket open(TestGateway gw, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static void await(LongSupplier value, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (value.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, value.getAsLong(), what);
    }

    /** True when the server ends the connection (EOF or reset) before the read timeout. */
    private static boolean endedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when the server refuses a new connection from {@code from}: it resets it at once, which a loaded machine may
     * report to the client already during connect, or it ends it before anything is read.
     */
    private static boolean refused(TestGateway gw, String from) throws IOException {
        Socket s;
        try {
            s = open(gw, from);
        } catch (SocketException e) {
            return true; // reset before connect() returned
        }
        try (s) {
            return endedByServer(s);
        }
    }

    @Test
    void perAddressAndTotalCaps_refuseAtOnce_andFreeSlotsAreReused() throws Exception {
        try (TestGateway gw = new TestGateway(s -> s.withAbuseLimits(s.minBodyRate(), 3, 2, Duration.ofSeconds(60)),
                IseSettings.defaults(TestGateway.REDIRECT))) {
            List<Socket> open = new ArrayList<>();
            try {
                open.add(open(gw, "127.0.0.1"));
                open.add(open(gw, "127.0.0.1"));
                await(() -> gw.server.guardStats().connectionsOpen(), 2, "two from 127.0.0.1 admitted");
                assertTrue(refused(gw, "127.0.0.1"), "a third connection from one address was kept");
                await(() -> gw.server.guardStats().connectionsRefused(), 1, "per-address refusal counted");
                open.add(open(gw, "127.0.0.2"));
                await(() -> gw.server.guardStats().connectionsOpen(), 3, "another address admitted");
                assertTrue(refused(gw, "127.0.0.3"), "a connection over the total was kept");
                await(() -> gw.server.guardStats().connectionsRefused(), 2, "total refusal counted");
                open.remove(0).close();
                await(() -> gw.server.guardStats().connectionsOpen(), 2, "a closed connection frees its slot");
                HttpClient c = gw.client(gw.partnerCert);
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(gw.uri("/ciscoise/mdminfo/?ise_api_version=3"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "the freed slot serves a real client");
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void silentClient_isDroppedAtTheHandshakeTimeout() throws Exception {
        try (TestGateway gw = new TestGateway(s -> s.withTimeouts(s.requestTimeout(), Duration.ofSeconds(60))
                .withAbuseLimits(s.minBodyRate(), 100, 100, Duration.ofMillis(500)),
                IseSettings.defaults(TestGateway.REDIRECT));
             Socket silent = open(gw, "127.0.0.1")) {
            assertTrue(endedByServer(silent), "no TLS handshake, yet the connection stayed open (idle timeout 60 s)");
            await(() -> gw.server.guardStats().connectionsOpen(), 0, "slot released");
        }
    }

    @Test
    void operationsPort_answers_whileTheApiPortIsFull() throws Exception {
        try (TestGateway gw = new TestGateway(s -> s.withAbuseLimits(s.minBodyRate(), 20, 20, Duration.ofSeconds(60)),
                IseSettings.defaults(TestGateway.REDIRECT));
             MetricsServer ops = MetricsServer.start(new MetricsServer.Settings("127.0.0.1", 0), () -> "", () -> true)) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    try {
                        flood.add(open(gw, "127.0.0.1"));
                    } catch (SocketException refusedDuringConnect) {
                        // beyond the cap: reset at once (counted by the server like the others)
                    }
                }
                await(() -> gw.server.guardStats().connectionsRefused(), 20, "the flood beyond the cap refused");
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ops.address().getPort() + "/health"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }
}
