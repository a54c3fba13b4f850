package io.nacgw.radius.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nacgw.radius.DropReason;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.RadiusStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drops are all counted, but a flood produces one WARN per reason per interval. */
final class CountersTest {
    private static final InetSocketAddress SRC = new InetSocketAddress("192.0.2.9", 1000);
    private final Logger logger = (Logger) LoggerFactory.getLogger(Counters.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level before;

    @BeforeEach
    void attach() {
        before = logger.getLevel();
        logger.setLevel(Level.WARN);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(before);
    }

    private List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    @Test
    void drop_flood_isCountedFullyButWarnedOncePerInterval() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        Counters c = new Counters(clock);
        for (int i = 0; i < 1000; i++) {
            c.drop(DropReason.MALFORMED, SRC, "bad");
        }
        c.drop(DropReason.UNKNOWN_CLIENT, SRC, "who");
        assertEquals(1000, c.drops(DropReason.MALFORMED));
        assertEquals(2, warnings().size(), "one per reason: " + warnings());
        clock.advance(Duration.ofMillis(Counters.WARN_INTERVAL_MS));
        c.drop(DropReason.MALFORMED, SRC, "bad");
        assertEquals(3, warnings().size());
        assertTrue(warnings().get(2).startsWith("dropped 1000 datagram(s) for malformed"), warnings().get(2));
        RadiusStats s = c.snapshot(7, 1, 0, 0, 0, 0, 0);
        assertEquals(1002, s.totalDrops());
        assertEquals(DropReason.values().length, s.drops().size(), "every reason present");
        assertEquals(1, s.auditDropped());
    }

    @Test
    void drop_withoutASource_isWarnedWithItsDetail_andNoPeer() {
        Counters c = new Counters(new MutableClock(Instant.EPOCH));
        c.drop(DropReason.COA_QUEUE_FULL, null, "CoA trigger queue full: device change of d1 set aside");
        assertEquals(List.of("dropped 1 for coa_queue_full since the last warning; latest: CoA trigger queue full: "
                + "device change of d1 set aside"), warnings());
    }

    @Test
    void logs_atDebug_neverContainTheSecret() {
        Logger radius = (Logger) LoggerFactory.getLogger("io.nacgw.radius");
        Level old = radius.getLevel();
        radius.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> all = new ListAppender<>();
        all.start();
        radius.addAppender(all);
        try (io.nacgw.radius.TestWorld world = new io.nacgw.radius.TestWorld(); Pipeline p = new Pipeline(world)) {
            io.nacgw.core.secret.Secret secret = io.nacgw.core.secret.Secret.of(io.nacgw.radius.TestWorld.SECRET);
            p.auth(io.nacgw.radius.RequestBuilder.access(1).text(1, "001122334401").text(31, "00-11-22-33-44-01")
                    .pap("001122334401").build(secret));
            p.auth(io.nacgw.radius.RequestBuilder.access(2).text(1, "alice").pap("pw").build(secret));
            p.auth(io.nacgw.radius.RequestBuilder.access(3).build(io.nacgw.core.secret.Secret.of("wrong")));
            p.acct(io.nacgw.radius.RequestBuilder.accounting(4).integer(40, 1).text(44, "s").build(secret));
            p.components.reload(p.components.registry());
        } finally {
            radius.detachAppender(all);
            radius.setLevel(old);
        }
        assertTrue(all.list.size() >= 4, "debug lines were written: " + all.list.size());
        for (ILoggingEvent e : all.list) {
            assertTrue(!e.getFormattedMessage().contains(io.nacgw.radius.TestWorld.SECRET), e.getFormattedMessage());
        }
    }
}
