package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bulk upload is kept alive by its progress, not cut by the request deadline: real curl, a 1 s deadline, and a
 * body sent slowly but steadily for several seconds completes; a stalled one gets a final 408.
 */
final class BulkUploadRateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withAbuseLimits(5_000, 10_000, 256, Duration.ofSeconds(60)), IseSettings.defaults(TestGateway.REDIRECT));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static List<String> curlArgs(String protocol) {
        return new ArrayList<>(List.of(protocol, "--cacert", gw.caFile().toString(),
                "--cert", gw.adminCert.chainFile().toString(), "--key", gw.adminCert.keyFile().toString(),
                "-H", "Content-Type: application/x-ndjson"));
    }

    @Test
    void slowSteadyUpload_pastTheDeadline_completes_overHttp1AndHttp2() throws Exception {
        int n = 800; // ~160 KB at 40 KB/s: about 4 s, four times the request deadline
        Path body = Files.createTempFile(gw.dir, "bulk", ".ndjson");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(BulkIngestTest.line(0x5100, i, "2026-11-01T10:00:00Z"));
        }
        Files.writeString(body, sb.toString());
        for (String protocol : List.of("--http1.1", "--http2")) {
            long closedBefore = gw.server.stats().slowClientsClosed();
            List<String> args = curlArgs(protocol);
            args.addAll(List.of("--max-time", "180", "--limit-rate", "40k", "--data-binary", "@" + body, gw.uri("/api/v1/devices:bulk").toString()));
            long t0 = System.nanoTime();
            Curl.Result r = Curl.run(args);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.exit(), protocol + ": " + r.stderr());
            assertEquals(200, r.status(), protocol + ": " + r.body());
            JsonNode report = JSON.readTree(r.body());
            assertEquals(n, report.get("received").asLong(), r.body());
            assertEquals(n, report.get("committedThroughLine").asLong(), r.body());
            assertTrue(ms > 2000, protocol + " took only " + ms + " ms: the test no longer outlasts the deadline");
            assertEquals(closedBefore, gw.server.stats().slowClientsClosed(), protocol);
        }
    }

    @Test
    void stalledUpload_getsAFinal408_neverASilentSuccess() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Curl.BINARY.toString(), "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        cmd.addAll(curlArgs("--http1.1"));
        cmd.addAll(List.of("-T", "-", "-X", "POST", gw.uri("/api/v1/devices:bulk").toString()));
        long closedBefore = gw.server.stats().slowClientsClosed();
        Process p = new ProcessBuilder(cmd).start();
        OutputStream in = p.getOutputStream();
        for (int i = 0; i < 20; i++) {
            in.write(BulkIngestTest.line(0x5200, i, "2026-11-01T10:00:00Z").getBytes(StandardCharsets.UTF_8));
        }
        in.flush(); // and then nothing more: the upload stalls with the stream still open
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (gw.server.stats().slowClientsClosed() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(gw.server.stats().slowClientsClosed() > closedBefore, "the stalled upload was never cut off");
        in.close(); // curl blocks reading its stdin; let it get back to the connection and read the answer
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "curl still running");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String status = out.substring(out.lastIndexOf('\n') + 1).strip();
        assertEquals("408", status, out + " / " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        in.close();
    }
}
