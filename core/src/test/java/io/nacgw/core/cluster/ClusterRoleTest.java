package io.nacgw.core.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ClusterRoleTest {

    @Test
    void solo_alwaysLeadsUnderItsOwnName() {
        ClusterRole r = ClusterRole.solo("gw1");
        assertTrue(r.isLeader());
        assertEquals("gw1", r.nodeName());
        assertEquals("gw1", r.leaderName().orElseThrow());
    }

    @Test
    void solo_blankName_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClusterRole.solo(" "));
        assertThrows(IllegalArgumentException.class, () -> ClusterRole.solo(null));
    }
}
