package io.nacgw.nacapi.server;

import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.BulkIngestTest;
import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.Routes;
import io.nacgw.nacapi.TestGateway;
import io.nacgw.nacapi.auth.ApiUser;
import io.nacgw.nacapi.auth.AuthSettings;
import io.nacgw.nacapi.auth.Authenticator;
import io.nacgw.nacapi.auth.ClientIdentityResolver;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.nacapi.console.ConsoleServices;
import io.nacgw.nacapi.ise.IseApi;
import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.nacapi.json.JsonApi;
import io.nacgw.core.testing.TestStores;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline (minus TLS) through an EmbeddedChannel, with golden and malformed bytes. */
final class PipelineTest {
    private static final String AUTH = "Authorization: " + TestGateway.basic("ops", "pw-for-ops") + "\r\n";
    private ComplianceStore store;
    private ComplianceService service;
    private EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        store = ComplianceStore.open(TestStores.fresh(2));
        service = ComplianceService.start(store, IndexSettings.DEFAULTS);
        AccessPolicy policy = AccessPolicy.of(List.of(Profile.builder("corp").build()), "corp");
        ApiMetrics metrics = new ApiMetrics();
        Executor direct = Runnable::run;
        List<Route> routes = new ArrayList<>(new IseApi(IseSettings.defaults(TestGateway.REDIRECT), service, policy,
                Clock.systemUTC(), direct, metrics).routes());
        routes.addAll(new JsonApi(service, policy, Clock.systemUTC(), direct, 10, 5, metrics).routes());
        AuthSettings auth = AuthSettings.of(List.of(new ApiUser("ops",
                PasswordHash.create("pw-for-ops".toCharArray(), PasswordHash.MIN_ITERATIONS), ApiRole.ADMIN, null)),
                ClientIdentityResolver.NONE);
        ApiSettings settings = ApiSettings.defaults().withLimits(4096, 10, 3);
        ch = new EmbeddedChannel(new ApiInitializer(settings, null, new Authenticator(auth, direct, Clock.systemUTC()),
                new Routes(routes), service, direct, metrics));
        // the same pipeline with the console on, still without TLS
        ConsoleServices console = new ConsoleServices(true, java.time.Duration.ofMinutes(15), 10,
                new io.nacgw.nacapi.console.DecisionFeed(10), java.util.Map.of());
        consoleCh = () -> new EmbeddedChannel(new ApiInitializer(settings, null,
                new Authenticator(auth, direct, Clock.systemUTC()), new Routes(routes), service, direct, metrics,
                new GuardMetrics(), new ConnectionLimiter(100, 100, new GuardMetrics()), new ApiInitializer.Console(
                        new io.nacgw.nacapi.auth.ConsoleSessions(console.idleTimeout(), 10, Clock.systemUTC()),
                        new io.nacgw.nacapi.console.ConsoleAssets(), console)));
    }

    private java.util.function.Supplier<EmbeddedChannel> consoleCh;

    @Test
    void console_overPlainHttp_neverSignsIn_norSetsACookie() {
        ch.finishAndReleaseAll();
        ch = consoleCh.get();
        String body = "{\"user\":\"ops\",\"password\":\"pw-for-ops\"}";
        String res = exchange("POST /console/login HTTP/1.1\r\nHost: x\r\nX-Nacgw-Console: 1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertTrue(res.startsWith("HTTP/1.1 403"), res);
        assertTrue(res.contains("HTTPS only"), res);
        assertFalse(res.toLowerCase(java.util.Locale.ROOT).contains("set-cookie"), res);
        String page = exchange("GET /console/ HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200"), page);
        assertFalse(page.toLowerCase(java.util.Locale.ROOT).contains("set-cookie"), page);
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        service.close();
        store.close();
    }

    private String exchange(String... pieces) {
        for (String p : pieces) {
            ch.writeInbound(Unpooled.copiedBuffer(p, StandardCharsets.UTF_8));
            ch.runPendingTasks();
        }
        for (int i = 0; i < 50 && ch.outboundMessages().isEmpty(); i++) {
            ch.runPendingTasks();
        }
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void golden_mdminfoRequest_givesGoldenHeadersAndBody() {
        String res = exchange("GET /ciscoise/mdminfo/?ise_api_version=2 HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ise_api><name>mdminfo</name><api_version>2</api_version>"
                + "<api_path>/ciscoise/mdmapi/v2</api_path><redirect_url>https://portal.example.com/enrol</redirect_url>"
                + "<query_max_size>1000</query_max_size><messaging_support>false</messaging_support><vendor>nacgw</vendor>"
                + "<product_name>nacgw compliance gateway</product_name><product_version>0.1.0</product_version></ise_api>";
        assertEquals("HTTP/1.1 200 OK\r\ncontent-type: application/xml; charset=utf-8\r\ncontent-length: "
                + body.length() + "\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n\r\n" + body, res);
        assertTrue(ch.isActive());
    }

    @Test
    void malformedRequestLine_is400AndClosed() {
        String res = exchange("GET /a b c d HTTP/1.1 extra\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("application/problem+json"));
        assertFalse(ch.isActive());
    }

    @Test
    void unauthenticatedBody_isDiscarded_andTheConnectionStaysUsable() {
        String res = exchange("POST /api/v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 18\r\n\r\n{\"identifiers\":[", "]}GET /ciscoise/mdminfo HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        int first = res.indexOf("HTTP/1.1 401");
        int second = res.indexOf("HTTP/1.1 200");
        assertTrue(first >= 0 && second > first, res);
        assertTrue(res.contains("www-authenticate: Basic realm=\"nacgw\""), res);
        assertTrue(ch.isActive());
    }

    @Test
    void bulkLinesSplitAcrossChunksAtAnyByte_areReassembled() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            body.append(BulkIngestTest.line(0x7000, i, "2026-11-01T10:00:00Z"));
        }
        List<String> pieces = new ArrayList<>();
        pieces.add("POST /api/v1/devices:bulk HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        String b = body.toString();
        for (int i = 0; i < b.length(); i += 13) { // chunks of 13 bytes: every line is split somewhere
            String part = b.substring(i, Math.min(b.length(), i + 13));
            pieces.add(Integer.toHexString(part.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + part + "\r\n");
        }
        pieces.add("0\r\n\r\n");
        String res = exchange(pieces.toArray(new String[0]));
        assertTrue(res.startsWith("HTTP/1.1 200"), res);
        assertTrue(res.contains("\"inserted\":7"), res);
        assertTrue(res.contains("\"committedThroughLine\":7"), res);
        for (int i = 0; i < 7; i++) {
            assertNotNull(service.findResident(MacAddress.of(0x7000L << 32 | i)));
        }
    }

    @Test
    void unknownPath_is404_inTheRightFormatPerApi() {
        String xml = exchange("GET /ciscoise/nothing HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertTrue(xml.startsWith("HTTP/1.1 404") && xml.contains("<name>error</name>"), xml);
        String json = exchange("GET /api/v9/nothing HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertTrue(json.startsWith("HTTP/1.1 404") && json.contains("\"status\":404"), json);
    }

    @Test
    void device_seededDirectly_isVisibleThroughThePipeline() {
        service.upsert(TestGateway.device(new UUID(9, 9), ComplianceState.COMPLIANT, "02:00:00:00:00:09"));
        String res = exchange("GET /api/v1/devices/lookup?mac=020000000009 HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertTrue(res.contains("\"verdict\":\"allow\""), res);
    }

    @Test
    void malformedPercentEscapes_are404Or400_notAServerError() {
        String path = exchange("GET /api/v1/devices/%zz HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertTrue(path.startsWith("HTTP/1.1 404") || path.startsWith("HTTP/1.1 405"), path);
        String query = exchange("GET /api/v1/devices/lookup?mac=%zz HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        assertTrue(query.startsWith("HTTP/1.1 400"), query);
    }
}
