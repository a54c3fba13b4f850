package io.nacgw.nacapi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class HealthTest {

    @Test
    void of_allUp_isUpWithEveryCheck() {
        Health h = Health.of(List.of(Health.Check.up("store", "reachable"), Health.Check.up("radius", "2 of 2 bound")));
        assertEquals(Health.State.UP, h.state());
        assertEquals("", h.reason());
        assertEquals("{\"status\":\"up\",\"checks\":{\"store\":{\"status\":\"up\",\"detail\":\"reachable\"},"
                + "\"radius\":{\"status\":\"up\",\"detail\":\"2 of 2 bound\"}}}", h.json());
    }

    @Test
    void of_worstCheckWins_andReasonNamesEachBadCheck() {
        Health h = Health.of(List.of(Health.Check.degraded("store", "unreachable since X"),
                Health.Check.up("changeLog", "caught up"), Health.Check.down("radius", "0 of 2 bound")));
        assertEquals(Health.State.DOWN, h.state());
        assertEquals("store: unreachable since X; radius: 0 of 2 bound", h.reason());
        Health d = Health.of(List.of(Health.Check.degraded("syncLeader", "no leader \"known\"")));
        assertEquals(Health.State.DEGRADED, d.state());
        assertEquals("{\"status\":\"degraded\",\"reason\":\"syncLeader: no leader \\\"known\\\"\",\"checks\":{"
                + "\"syncLeader\":{\"status\":\"degraded\",\"detail\":\"no leader \\\"known\\\"\"}}}", d.json());
    }

    @Test
    void of_noChecks_isUp() {
        assertEquals("{\"status\":\"up\"}", Health.of(List.of()).json());
    }
}
