package io.nacgw.nacapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/2 by ALPN: the same routes, auth and streaming ingest, several streams on one connection. */
final class Http2Test {
    private static TestGateway gw;
    private static HttpClient partner;
    private static HttpClient admin;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start();
        partner = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(gw.clientTls(gw.partnerCert).sslContext()).build();
        admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(gw.clientTls(gw.adminCert).sslContext()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void mdminfo_overHttp2_withClientCertificate() throws Exception {
        HttpResponse<String> r = partner.send(HttpRequest.newBuilder(gw.uri("/ciscoise/mdminfo/?ise_api_version=3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(200, r.statusCode());
        assertEquals("/ciscoise/mdmapi/v3", Xml.parse(r.body()).text("api_path"));
    }

    @Test
    void concurrentStreams_andErrors_overOneConnection() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(partner.sendAsync(HttpRequest.newBuilder(gw.uri("/api/v1/devices/lookup?mac=02000000" + String.format("%04x", i)))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals(200, r.statusCode(), r.body());
        }
        HttpResponse<String> denied = partner.send(HttpRequest.newBuilder(gw.uri("/api/v1/devices/9b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode());
        HttpResponse<String> noAuth = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(gw.clientTls(null).sslContext()).build()
                .send(HttpRequest.newBuilder(gw.uri("/ciscoise/mdminfo")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, noAuth.version());
        assertEquals(401, noAuth.statusCode());
        assertTrue(noAuth.headers().firstValue("www-authenticate").orElse("").startsWith("Basic realm=\"nacgw\""));
    }

    @Test
    void bulkIngest_streamsOverHttp2() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            sb.append(BulkIngestTest.line(0xD000, i, "2026-11-01T10:00:00Z"));
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(gw.uri("/api/v1/devices:bulk")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"inserted\":2500"), r.body());
    }
}
