package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.SessionEvent;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SessionPurgerTest {
    private static final NasRef NAS = new NasRef("ip:10.0.0.1", "sw", "10.0.0.1", "10.0.0.1");

    private static SessionEvent event(SessionEvent.Kind kind, String id, java.time.Instant at) {
        return new SessionEvent(kind, NAS, id, null, null, MacAddress.parse("00:11:22:33:44:55"), null, null, null,
                null, null, null, at, null);
    }

    @Test
    void purge_deletesOnlySessionsEndedLongerThanTheRetentionAgo() {
        try (TestWorld world = new TestWorld();
             SessionPurger purger = new SessionPurger(world.sessions, Duration.ofDays(7), world.clock)) {
            world.sessions.apply(event(SessionEvent.Kind.STOP, "old", world.clock.instant()));
            world.sessions.apply(event(SessionEvent.Kind.START, "live", world.clock.instant()));
            world.clock.advance(Duration.ofDays(6));
            world.sessions.apply(event(SessionEvent.Kind.STOP, "recent", world.clock.instant()));
            assertEquals(0, purger.purge(), "nothing ended 7 days ago yet");
            world.clock.advance(Duration.ofDays(1).plusSeconds(1));
            assertEquals(1, purger.purge());
            assertTrue(world.sessions.get(NAS.id(), "old").isEmpty());
            assertTrue(world.sessions.get(NAS.id(), "recent").isPresent());
            assertTrue(world.sessions.get(NAS.id(), "live").isPresent(), "live sessions are never purged");
        }
    }
}
