package io.nacgw.radius.coa;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.audit.AuditRecord;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender over real UDP on loopback against the NAS stand-in: ACK, NAK 503, silence, wrong secret. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CoaSenderTest {
    private static final String SECRET = "coa-secret-5176";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T05:00:00Z"));
    private final Map<String, NasClient> clients = new HashMap<>();
    private final List<AuditRecord> audit = Collections.synchronizedList(new ArrayList<>());
    private final List<CoaResult> observed = Collections.synchronizedList(new ArrayList<>());
    private NasStandIn nas;
    private CoaSender sender;

    private void start(String nasSecret, CoaSettings settings) throws Exception {
        nas = new NasStandIn(nasSecret);
        clients.put("switch", NasClient.builder("switch", "127.0.0.1", "radius-secret").vendor(VendorProfile.CISCO)
                .coaSecret(SECRET).coaPort(nas.port()).build());
        sender = CoaSender.start(settings, clients::get, audit::add, clock, observed::add);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (sender != null) {
            sender.close();
        }
        if (nas != null) {
            nas.close();
        }
    }

    private static CoaRequest request(String session) {
        return new CoaRequest("switch", "127.0.0.1", null, session, MacAddress.parse("00:11:22:33:44:55"), null, null,
                null, CoaTrigger.DEVICE_CHANGE, null, null);
    }

    @Test
    void close_transmitsWhatIsStillQueued_firstTheRateLimitHeldBack() throws Exception {
        start(SECRET, new CoaSettings(true, 3, Duration.ofSeconds(1), 32, 20, 1000)); // 2 at once, then 20/s
        List<java.util.concurrent.CompletableFuture<CoaResult>> f = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            f.add(sender.submit(request("sess-" + i)));
        }
        sender.close();
        assertEquals(12, nas.await(12, 10).size(), "every queued CoA reached the NAS");
        assertEquals(0, f.stream().filter(x -> x.join().answer() == CoaResult.Answer.CLOSED
                && x.join().attempts() == 0).count(), "none abandoned unsent");
    }

    @Test
    void ack_overUdp_isAuditedAndObserved() throws Exception {
        start(SECRET, CoaSettings.DEFAULTS);
        CoaResult r = sender.submit(request("sess-1")).get(10, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.ACK, r.answer());
        NasStandIn.Received got = nas.received().get(0);
        assertEquals(RadiusCode.COA_REQUEST, got.code());
        assertEquals("sess-1", got.text(AttributeType.ACCT_SESSION_ID));
        assertEquals(sender.localAddress().getPort(), got.from().getPort(), "sent from the sender's socket");
        assertEquals(1, audit.size());
        assertTrue(audit.get(0).toJson().contains("\"answer\":\"ack\""), audit.get(0).toJson());
        assertEquals(List.of(r), observed);
        assertEquals(1, sender.stats().acked());
        assertEquals(1, sender.stats().sent());
    }

    @Test
    void nak503_overUdp() throws Exception {
        start(SECRET, CoaSettings.DEFAULTS);
        nas.answering(x -> NasStandIn.Answer.nak(503));
        CoaResult r = sender.submit(request("gone")).get(10, TimeUnit.SECONDS);
        assertTrue(r.sessionGone(), r.toString());
        assertEquals(Map.of(503, 1L), sender.stats().nakked());
    }

    @Test
    void noAnswer_retransmitsThenGivesUp() throws Exception {
        start(SECRET, CoaSettings.DEFAULTS.withRetries(3, Duration.ofMillis(50)));
        nas.answering(x -> NasStandIn.Answer.SILENT);
        CoaResult r = sender.submit(request("sess-1")).get(10, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.TIMEOUT, r.answer());
        assertEquals(3, r.attempts());
        assertEquals(3, nas.received().size(), "first transmission and two retransmissions");
        assertEquals(1, nas.received().stream().map(NasStandIn.Received::identifier).distinct().count());
        assertTrue(audit.get(0).toJson().contains("\"answer\":\"timeout\""));
    }

    @Test
    void wrongCoaSecretAtTheNas_getsNoAnswer() throws Exception {
        start("the-nas-has-another-secret", CoaSettings.DEFAULTS.withRetries(2, Duration.ofMillis(50)));
        CoaResult r = sender.submit(request("sess-1")).get(10, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.TIMEOUT, r.answer());
        assertEquals(2, nas.badAuthenticators());
        assertTrue(nas.received().isEmpty());
    }

    @Test
    void closed_answersClosed() throws Exception {
        start(SECRET, CoaSettings.DEFAULTS);
        sender.close();
        assertEquals(CoaResult.Answer.CLOSED, sender.submit(request("late")).get(1, TimeUnit.SECONDS).answer());
    }
}
