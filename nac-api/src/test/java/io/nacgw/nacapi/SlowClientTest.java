package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slowloris-style clients over real TLS: slow headers, a trickle, an idle keep-alive, oversized headers. */
final class SlowClientTest {
    private static final String AUTH = TestGateway.basic("ise", TestGateway.PARTNER_PASSWORD);
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s.withTimeouts(Duration.ofMillis(600), Duration.ofMillis(1500)),
                IseSettings.defaults(TestGateway.REDIRECT));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) gw.clientTls(null).sslContext().getSocketFactory().createSocket("localhost", gw.port());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** Reads until the server closes; returns what it sent. */
    private static String readToClose(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
            return sb.toString(); // closed without close_notify
        }
        return sb.toString();
    }

    @Test
    void incompleteHeaders_areClosedAfterTheRequestTimeout() throws Exception {
        long closedBefore = gw.server.stats().slowClientsClosed();
        try (SSLSocket s = connect()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write("GET /ciscoise/mdminfo HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String got = readToClose(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("", got);
            assertTrue(ms >= 500, "not closed before the 600 ms request timeout: " + ms + " ms"); // a hang: SO_TIMEOUT
        }
        assertTrue(gw.server.stats().slowClientsClosed() > closedBefore);
    }

    @Test
    void tricklingHeaders_areClosedEvenThoughBytesKeepArriving() throws Exception {
        long closedBefore = gw.server.stats().slowClientsClosed();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            byte[] req = ("GET /ciscoise/mdminfo HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + "a".repeat(200) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Future<?> trickle = ex.submit(() -> {
                try {
                    for (byte b : req) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(50); // the attack itself: one byte every 50 ms, well inside the idle timeout
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: expected
                }
            });
            // the whole request would take ~13 s to trickle in and then be answered; the idle timeout never fires
            // while bytes arrive; so an empty read that ends before the 10 s SO_TIMEOUT means the request deadline
            String got = readToClose(s.getInputStream());
            trickle.cancel(true);
            assertEquals("", got);
        } finally {
            ex.shutdownNow();
        }
        assertTrue(gw.server.stats().slowClientsClosed() > closedBefore, "counted as a slow client");
    }

    @Test
    void idleKeepAlive_isClosedAfterTheIdleTimeout() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(("GET /ciscoise/mdminfo HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AUTH
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long t0 = System.nanoTime();
            String got = readToClose(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            assertTrue(got.contains("<api_version>1</api_version>"));
            assertTrue(ms >= 1000, "not closed before the 1.5 s idle timeout: " + ms + " ms"); // a hang: SO_TIMEOUT
        }
    }

    @Test
    void oversizedHeaders_are431AndClosed() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(("GET /api/v1/devices/lookup?mac=020000000001 HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                    + "b".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String got = readToClose(s.getInputStream());
            assertTrue(got.startsWith("HTTP/1.1 431"), got);
            assertTrue(got.contains("application/problem+json"));
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (SSLSocket s = connect()) {
            String one = "GET /ciscoise/mdminfo/?ise_api_version=%d HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AUTH + "\r\n\r\n";
            String all = String.format(one, 3) + String.format(one, 1) + "GET /ciscoise/mdmapi/v3/devices/?paging=0&"
                    + "querycriteria=compliance&value=false&filter=all HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AUTH
                    + "\r\n\r\n" + String.format(one, 2).replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n");
            s.getOutputStream().write(all.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String got = readToClose(s.getInputStream());
            int v3 = got.indexOf("<api_path>/ciscoise/mdmapi/v3</api_path>");
            int v1 = got.indexOf("<api_path>/ciscoise/mdmapi/v1</api_path>");
            int list = got.indexOf("<name>attributes</name>");
            int v2 = got.indexOf("<api_path>/ciscoise/mdmapi/v2</api_path>");
            assertTrue(v3 >= 0 && v3 < v1 && v1 < list && list < v2, got);
        }
    }
}
