package io.nacgw.radius;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nacgw.core.log.PeerLogLimiter;
import io.nacgw.core.policy.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DecisionStatsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(DecisionStats.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private long now;
    private final DecisionStats stats = new DecisionStats(new PeerLogLimiter(PeerLogLimiter.MINUTE_NANOS, 100, () -> now));

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        stats.register(List.of("sw1"), List.of("corp"));
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void decided_countsConfiguredNamesOnly_andUnknownReasonsAsOther() {
        AtomicLong latency = new AtomicLong();
        stats.onLatency(latency::addAndGet);
        stats.decided("sw1", "corp", Verdict.DENY, List.of("noncompliant", "not_encrypted"), 1_000);
        stats.decided("sw1", null, Verdict.DENY, List.of("something_new"), 2_000);
        stats.decided("gone", "nope", Verdict.ALLOW, List.of("compliant"), 3_000);
        assertEquals(2, stats.client("sw1").count("reject"));
        assertEquals(1, stats.profile("corp").count("reject"));
        assertNull(stats.client("gone"), "a name never configured gets no series");
        assertNull(stats.profile("nope"));
        assertEquals(1, stats.reason("noncompliant"));
        assertEquals(1, stats.reason("not_encrypted"));
        assertEquals(1, stats.reason(DecisionStats.OTHER));
        assertEquals(1, stats.reason("compliant"));
        assertEquals(6_000, latency.get(), "every answered request's latency");
        assertThrows(IllegalArgumentException.class, () -> stats.reason("bogus"));
        assertThrows(IllegalArgumentException.class, () -> stats.client("sw1").count("maybe"));
    }

    @Test
    void register_isIdempotent_andKeepsCountsOfRemovedNames() {
        stats.decided("sw1", "corp", Verdict.ALLOW, List.of(), 1);
        stats.register(List.of("sw2"), List.of("corp"));
        assertEquals(1, stats.client("sw1").count("allow"), "a reload never resets a counter");
        assertEquals(0, stats.client("sw2").count("allow"));
        assertTrue(stats.clientNames().containsAll(List.of("sw1", "sw2")));
    }

    @Test
    void seen_recordsTheLastRequestOfConfiguredClients() {
        stats.seen("sw1", 1234);
        stats.seen("unknown", 99);
        assertEquals(1234, stats.client("sw1").lastRequestMillis());
        assertEquals(java.util.Map.of("sw1", 1234L), stats.lastRequests());
    }

    @Test
    void eapTlsFailed_countsByReason_andLogsOneLinePerPeerPerMinute_withoutStackTrace() {
        for (int i = 0; i < 50; i++) {
            stats.eapTlsFailed("certificate_revoked", "02-00-00-00-00-01", "sw1", "serial 1F\nlisted");
        }
        stats.eapTlsFailed("certificate_expired", "02-00-00-00-00-02", "sw1", null);
        stats.eapTlsFailed("eap_unknown_state", "02-00-00-00-00-03", "sw1", null);
        assertEquals(50, stats.eapTlsFailures("certificate_revoked"));
        assertEquals(1, stats.eapTlsFailures("certificate_expired"));
        List<ILoggingEvent> lines = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(2, lines.size(), "one per peer; an EAP-layer refusal is not a TLS failure");
        assertNull(lines.get(0).getThrowableProxy());
        assertTrue(lines.get(0).getFormattedMessage().contains("certificate_revoked: serial 1F listed"),
                lines.get(0).getFormattedMessage());
        now += PeerLogLimiter.MINUTE_NANOS;
        stats.eapTlsFailed("certificate_revoked", "02-00-00-00-00-01", "sw1", null);
        assertEquals(3, appender.list.size(), "a minute later, one more line");
        assertFalse(DecisionStats.REASONS.contains("bogus"));
    }
}
