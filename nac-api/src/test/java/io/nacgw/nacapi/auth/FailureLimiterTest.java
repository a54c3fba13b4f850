package io.nacgw.nacapi.auth;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class FailureLimiterTest {

    @Test
    void blocksAfterTheLimit_untilTheWindowEnds_perSource() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        FailureLimiter l = new FailureLimiter(3, 60_000, clock);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.blockedSeconds(a));
            l.recordFailure(a);
        }
        assertEquals(60, l.blockedSeconds(a));
        assertEquals(0, l.blockedSeconds(b));
        now.addAndGet(59_500);
        assertEquals(1, l.blockedSeconds(a));
        now.addAndGet(500);
        assertEquals(0, l.blockedSeconds(a));
    }
}
