package io.nacgw.nacapi.auth;

import io.nacgw.core.testing.MutableClock;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ConsoleSessionsTest {
    private static final ApiPrincipal ADMIN = new ApiPrincipal("ops", ApiRole.ADMIN, null);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(15), 3, clock);

    @Test
    void resolve_withinIdleTimeout_keepsTheSessionAlive() {
        ConsoleSessions.Started s = sessions.start(ADMIN, null);
        clock.advance(Duration.ofMinutes(14));
        assertTrue(sessions.resolve(s.id()).isPresent());
        clock.advance(Duration.ofMinutes(14)); // 14 minutes after the last use, 28 after login
        assertEquals(ADMIN, sessions.resolve(s.id()).orElseThrow().principal());
    }

    @Test
    void resolve_afterIdleTimeout_isEmpty_andForgotten() {
        ConsoleSessions.Started s = sessions.start(ADMIN, null);
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertTrue(sessions.resolve(s.id()).isEmpty());
        clock.advance(Duration.ofSeconds(-30)); // even if the clock steps back, the session is gone
        assertTrue(sessions.resolve(s.id()).isEmpty());
        assertEquals(0, sessions.size());
    }

    @Test
    void start_endsThePresentedSession_andMakesFreshTokens() {
        ConsoleSessions.Started a = sessions.start(ADMIN, null);
        ConsoleSessions.Started b = sessions.start(ADMIN, a.id());
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.csrf(), b.csrf());
        assertTrue(sessions.resolve(a.id()).isEmpty());
        assertTrue(sessions.resolve(b.id()).isPresent());
    }

    @Test
    void csrf_matchesOnlyTheSessionsToken() {
        ConsoleSessions.Started s = sessions.start(ADMIN, null);
        ConsoleSessions.Session live = sessions.resolve(s.id()).orElseThrow();
        assertTrue(live.csrfMatches(s.csrf()));
        assertFalse(live.csrfMatches(null));
        assertFalse(live.csrfMatches(""));
        assertFalse(live.csrfMatches(s.csrf().substring(1)));
        assertFalse(live.toString().contains(s.csrf()));
        assertFalse(s.toString().contains(s.id()));
    }

    @Test
    void full_evictsTheLeastRecentlyUsed() {
        ConsoleSessions.Started a = sessions.start(ADMIN, null);
        clock.advance(Duration.ofSeconds(1));
        ConsoleSessions.Started b = sessions.start(ADMIN, null);
        clock.advance(Duration.ofSeconds(1));
        ConsoleSessions.Started c = sessions.start(ADMIN, null);
        clock.advance(Duration.ofSeconds(1));
        sessions.resolve(a.id()); // a is used again: b is now the least recent
        ConsoleSessions.Started d = sessions.start(ADMIN, null);
        assertEquals(3, sessions.size());
        assertTrue(sessions.resolve(b.id()).isEmpty());
        assertTrue(sessions.resolve(a.id()).isPresent());
        assertTrue(sessions.resolve(c.id()).isPresent());
        assertTrue(sessions.resolve(d.id()).isPresent());
    }

    @Test
    void end_andBadCookies() {
        ConsoleSessions.Started s = sessions.start(ADMIN, null);
        assertTrue(sessions.end(s.id()));
        assertFalse(sessions.end(s.id()));
        assertTrue(sessions.resolve(null).isEmpty());
        assertTrue(sessions.resolve("").isEmpty());
        assertTrue(sessions.resolve("x".repeat(500)).isEmpty());
    }

    @Test
    void settings_outOfRange_nameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConsoleSessions(Duration.ofSeconds(10), 3, clock));
        assertTrue(e.getMessage().contains("api.console.idleTimeout"));
        e = assertThrows(IllegalArgumentException.class, () -> new ConsoleSessions(Duration.ofMinutes(5), 0, clock));
        assertTrue(e.getMessage().contains("api.console.maxSessions"));
    }
}
