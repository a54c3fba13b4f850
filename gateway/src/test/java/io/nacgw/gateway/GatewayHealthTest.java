package io.nacgw.gateway;

import io.nacgw.core.service.ChangeLogFollower;
import io.nacgw.core.store.StoreHealth;
import io.nacgw.nacapi.Health;
import io.nacgw.nacapi.Health.Check;
import io.nacgw.sync.SyncStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each {@code /health} check on its own, from the counters it reads. */
final class GatewayHealthTest {
    private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static SyncStatus synced(Instant lastSuccess, String lastError) {
        return new SyncStatus(false, null, lastSuccess, null, lastError, lastSuccess, null, null, 1, 0, 0, 0, 0,
                Duration.ofMinutes(5), 0, 0, null, null, 0);
    }

    @Test
    void store_downIsDegraded_withSince() {
        assertEquals(Health.State.UP, GatewayHealth.store(StoreHealth.UP).state());
        Check c = GatewayHealth.store(new StoreHealth(false, "Connection refused", T));
        assertEquals(Health.State.DEGRADED, c.state());
        assertTrue(c.detail().contains("store unreachable since " + T) && c.detail().contains("Connection refused"), c.detail());
    }

    @Test
    void changeLog_lagOverTenIntervals_isDegraded() {
        Duration interval = Duration.ofSeconds(2);
        Check ok = GatewayHealth.changeLog(new ChangeLogFollower.Stats(42, 42, 0, 0, 0, Duration.ofMillis(800), true),
                interval);
        assertEquals(Health.State.UP, ok.state());
        assertTrue(ok.detail().contains("applied up to change 42, 0 behind"), ok.detail());
        Check late = GatewayHealth.changeLog(new ChangeLogFollower.Stats(42, 42, 3, 0, 7, Duration.ofSeconds(21), false),
                interval);
        assertEquals(Health.State.DEGRADED, late.state());
        assertTrue(late.detail().contains("not caught up for 21 s (over 20 s)") && late.detail().contains("not connected"),
                late.detail());
        // at least 10 s, however short the interval
        assertEquals(Health.State.UP, GatewayHealth.changeLog(new ChangeLogFollower.Stats(1, 1, 0, 0, 0,
                Duration.ofSeconds(9), true), Duration.ofMillis(100)).state());
    }

    @Test
    void syncLeader_noLeaderKnown_isDegraded() {
        assertEquals(Health.State.UP, GatewayHealth.syncLeader(true, "a", Optional.of("a"), Optional.empty()).state());
        Check follower = GatewayHealth.syncLeader(false, "b", Optional.of("a"), Optional.empty());
        assertEquals(Health.State.UP, follower.state());
        assertEquals("node a leads; this node (b) follows", follower.detail());
        Check none = GatewayHealth.syncLeader(false, "b", Optional.empty(), Optional.of("Connection refused"));
        assertEquals(Health.State.DEGRADED, none.state());
        assertTrue(none.detail().contains("no node leads") && none.detail().contains("Connection refused"));
    }

    @Test
    void syncFreshness_leaderWithoutSuccessForTwoIntervals_isDegraded() {
        assertEquals(Health.State.UP, GatewayHealth.syncFreshness(T, true, Optional.of(T.minusSeconds(60)),
                synced(T.minus(HOUR), null), HOUR).state());
        Check stale = GatewayHealth.syncFreshness(T, true, Optional.of(T.minus(HOUR.multipliedBy(5))),
                synced(T.minus(HOUR.multipliedBy(3)), "HTTP 503 from Graph"), HOUR);
        assertEquals(Health.State.DEGRADED, stale.state());
        assertTrue(stale.detail().contains("HTTP 503 from Graph"), stale.detail());
        // counted from when this node became the leader: a fresh leader is not stale for the old leader's past
        assertEquals(Health.State.UP, GatewayHealth.syncFreshness(T, true, Optional.of(T.minusSeconds(10)),
                synced(null, null), HOUR).state());
        // a follower leaves it to the leader
        assertEquals(Health.State.UP, GatewayHealth.syncFreshness(T, false, Optional.empty(), synced(null, null),
                HOUR).state());
    }

    @Test
    void listener_notAllBound_isDown() {
        assertEquals(Health.State.UP, GatewayHealth.listener("radius", 4, 4).state());
        Check c = GatewayHealth.listener("radius", 3, 4);
        assertEquals(Health.State.DOWN, c.state());
        assertEquals("3 of 4 listening sockets bound", c.detail());
    }
}
