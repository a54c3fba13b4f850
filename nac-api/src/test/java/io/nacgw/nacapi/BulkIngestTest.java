package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.id.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Enumeration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming NDJSON ingest end to end: batches, per-line errors, stale lines, cut-off clients, a large stream. */
public final class BulkIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;
    private static HttpClient admin;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s.withLimits(64 * 1024, 100, 1000), IseSettings.defaults(TestGateway.REDIRECT));
        admin = gw.client(gw.adminCert);
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    public static String line(long prefix, long i, String modified) {
        UUID id = new UUID(prefix, i);
        return "{\"deviceId\":\"" + id + "\",\"managementState\":\"managed\",\"complianceState\":\"compliant\","
                + "\"lastModified\":\"" + modified + "\",\"macs\":[\"" + MacAddress.of((prefix & 0xFFFF) << 32 | i).canonical()
                + "\"]}\n";
    }

    /** An NDJSON body generated lazily, so even a large one is never held in memory by the test either. */
    static InputStream lines(long prefix, int n) {
        return new SequenceInputStream(new Enumeration<InputStream>() {
            int i;

            @Override
            public boolean hasMoreElements() {
                return i < n;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder sb = new StringBuilder(256 * 200);
                for (int k = 0; k < 200 && i < n; k++) { // ~50 KB per piece: the client sends big chunks
                    sb.append(line(prefix, i++, "2026-11-01T10:00:00Z"));
                }
                return new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    private static HttpResponse<String> post(InputStream body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(gw.uri("/api/v1/devices:bulk")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        return admin.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bulk_reportsLineErrorsByNumber_andCommitsTheRest() throws Exception {
        StringBuilder b = new StringBuilder();
        b.append(line(0x1000, 1, "2026-11-01T10:00:00Z"));                       // 1
        b.append("{\"deviceId\":\n");                                               // 2 malformed
        b.append("\n");                                                             // 3 blank
        b.append(line(0x1000, 2, "2026-11-01T10:00:00Z").replace("\"macs\":[\"", "\"macs\":[\"zz")); // 4 bad MAC
        b.append(line(0x1000, 3, "2026-11-01T10:00:00Z").replace("\n", "\r\n"));  // 5 CRLF is fine
        b.append(line(0x1000, 4, "2026-11-01T10:00:00Z").strip());                 // 6 no final newline
        HttpResponse<String> r = post(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals(6, j.get("lines").asInt());
        assertEquals(5, j.get("received").asInt());
        assertEquals(3, j.get("inserted").asInt());
        assertEquals(2, j.get("invalid").asInt());
        assertEquals(6, j.get("committedThroughLine").asInt());
        assertEquals(2, j.get("errors").get(0).get("line").asInt());
        assertTrue(j.get("errors").get(0).get("error").asText().startsWith("malformed JSON"));
        assertEquals(4, j.get("errors").get(1).get("line").asInt());
        assertTrue(j.get("errors").get(1).get("error").asText().contains("MAC"));
        assertNotNull(gw.service.findResident(io.nacgw.core.id.DeviceGuid.intune(new UUID(0x1000, 4).toString())));
    }

    @Test
    void bulk_staleLines_areReportedNotApplied() throws Exception {
        String first = line(0x2000, 1, "2026-11-05T10:00:00Z") + line(0x2000, 2, "2026-11-05T10:00:00Z");
        assertEquals(200, post(new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8))).statusCode());
        String second = line(0x2000, 1, "2026-11-04T10:00:00Z").replace("compliant", "noncompliant")
                + line(0x2000, 2, "2026-11-06T10:00:00Z");
        JsonNode j = JSON.readTree(post(new ByteArrayInputStream(second.getBytes(StandardCharsets.UTF_8))).body());
        assertEquals(1, j.get("stale").asInt());
        assertEquals(1, j.get("updated").asInt());
        assertEquals(1, j.get("staleLines").get(0).asInt());
        assertEquals("compliant", gw.service.findResident(io.nacgw.core.id.DeviceGuid.intune(new UUID(0x2000, 1).toString()))
                .complianceState().wireName());
    }

    @Test
    void bulk_largeStream_isParsedAsItArrives() throws Exception {
        int n = 20_000;
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(lines(0x3000, n));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals(n, j.get("inserted").asInt());
        assertEquals(0, j.get("invalid").asInt());
        System.out.println("bulk ingest: " + n + " records in " + ms + " ms (" + (n * 1000L / Math.max(1, ms)) + " records/s)");
        assertNotNull(gw.service.findResident(MacAddress.of(0x3000L << 32 | (n - 1))));
    }

    @Test
    void bulk_cutOffMidStream_commitsOnlyWholeBatches() throws Exception {
        long cutBefore = gw.server.stats().bulkCutOff();
        try (SSLSocket s = (SSLSocket) gw.clientTls(gw.adminCert).sslContext().getSocketFactory()
                .createSocket("localhost", gw.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/devices:bulk HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream body = lines(0x4000, 2500);
            body.transferTo(out);
            out.write("{\"deviceId\":\"half a li".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((gw.server.stats().bulkCutOff() == cutBefore || gw.server.stats().ingested() < 2000)
                && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling for an asynchronous commit, not waiting out a timer
        }
        assertEquals(cutBefore + 1, gw.server.stats().bulkCutOff());
        // wait for the last whole batch's commit to show in the index, then check nothing partial slipped in
        while (gw.service.findResident(MacAddress.of(0x4000L << 32 | 1999)) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNotNull(gw.service.findResident(MacAddress.of(0x4000L << 32 | 1999)), "batch 2 (lines 1001-2000) committed");
        assertNull(gw.service.findResident(MacAddress.of(0x4000L << 32 | 2000)), "the partial batch 3 is not committed");
        assertNull(gw.service.findResident(MacAddress.of(0x4000L << 32 | 2499)));
        assertFalse(gw.service.store().find(MacAddress.of(0x4000L << 32 | 2200)).size() > 0);
    }

    @Test
    void bulk_needsTheAdminRole() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(gw.uri("/api/v1/devices:bulk")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(line(0x5000, 1, "2026-11-01T10:00:00Z"))).build();
        assertEquals(403, gw.client(gw.partnerCert).send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertNull(gw.service.findResident(MacAddress.of(0x5000L << 32 | 1)));
    }
}
