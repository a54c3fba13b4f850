package io.nacgw.core.cluster;

import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Await;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class LeaderElectionTest {
    private static final Duration FAST = Duration.ofMillis(200);
    @RegisterExtension
    final Postgres pg = new Postgres();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        pg.dropSchemas();
    }

    private LeaderElection node(StoreSettings s, String name, Runnable onElected) {
        LeaderElection e = LeaderElection.start(s, new ClusterSettings(name, FAST), Clock.systemUTC(), onElected);
        open.add(e);
        return e;
    }

    private StoreSettings schema() {
        StoreSettings s = pg.freshSchema();
        ComplianceStore.open(s).close(); // migrated, as a gateway's store would be
        return s;
    }

    @Test
    void twoNodes_exactlyOneLeads_andBothNameIt() throws Exception {
        StoreSettings s = schema();
        AtomicInteger electedA = new AtomicInteger();
        LeaderElection a = node(s, "gw-a:1812", electedA::incrementAndGet);
        LeaderElection b = node(s, "gw-b:1812", () -> { });
        assertTrue(a.isLeader(), "the first node leads as soon as it started");
        assertEquals(1, electedA.get());
        Await.until(() -> b.leaderName().isPresent(), "b to see the leader");
        assertFalse(b.isLeader());
        assertEquals("gw-a:1812", b.leaderName().orElseThrow());
        assertEquals("gw-a:1812", a.leaderName().orElseThrow());
        assertEquals("gw-a:1812", b.status().leaderName());
        assertNull(b.status().leaderSince());
        assertTrue(a.status().leader());
    }

    @Test
    void leaderStops_followerTakesOver() throws Exception {
        StoreSettings s = schema();
        LeaderElection a = node(s, "gw-a", () -> { });
        AtomicInteger electedB = new AtomicInteger();
        LeaderElection b = node(s, "gw-b", electedB::incrementAndGet);
        assertTrue(a.isLeader());
        a.close();
        Await.until(b::isLeader, "b to take over");
        assertEquals(1, electedB.get());
        assertEquals("gw-b", b.leaderName().orElseThrow());
    }

    @Test
    void leaderConnectionKilled_otherNodeTakesOver_andOldLeaderFollows() throws Exception {
        StoreSettings s = schema();
        LeaderElection a = node(s, "gw-a", () -> { });
        LeaderElection b = node(s, "gw-b", () -> { });
        assertTrue(a.isLeader());
        // what the server does when the leader's process dies: its session ends
        Postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + LeaderElection.APPLICATION_PREFIX + "gw-a'");
        Await.until(b::isLeader, "b to take over");
        Await.until(() -> !a.isLeader(), "a to notice it lost the lock");
        Await.until(() -> a.leaderName().filter("gw-b"::equals).isPresent(), "a to name b as the leader");
        assertTrue(a.status().losses() >= 1);
        assertFalse(a.isLeader());
    }

    @Test
    void separateSchemas_eachHasItsOwnLeader() {
        LeaderElection a = node(schema(), "gw-a", () -> { });
        LeaderElection b = node(schema(), "gw-b", () -> { });
        assertTrue(a.isLeader());
        assertTrue(b.isLeader());
        assertNotEquals(a.leaderName(), b.leaderName());
    }

    @Test
    void unreachableStore_noLeader_problemReported() {
        StoreSettings dead = new StoreSettings("jdbc:postgresql://127.0.0.1:1/none", "x", "", 1);
        LeaderElection e = node(dead, "gw-a", () -> { });
        assertFalse(e.isLeader());
        assertTrue(e.leaderName().isEmpty());
        assertTrue(e.status().problem() != null && !e.status().problem().isEmpty(), e.status().toString());
    }

    @Test
    void embeddedStore_isRefused() {
        StoreSettings sqlite = StoreSettings.embedded(Path.of("/tmp/none"));
        assertThrows(IllegalArgumentException.class,
                () -> LeaderElection.start(sqlite, new ClusterSettings("a", FAST), Clock.systemUTC(), () -> { }));
    }

    @Test
    void settings_badNameOrInterval_nameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClusterSettings("has space", FAST));
        assertTrue(e.getMessage().contains("cluster.nodeName"));
        e = assertThrows(IllegalArgumentException.class, () -> new ClusterSettings("a", Duration.ofMillis(10)));
        assertTrue(e.getMessage().contains("cluster.leaderCheckInterval"));
        assertTrue(ClusterSettings.defaultNodeName(1812).endsWith(":1812"));
        assertTrue(ClusterSettings.defaultNodeName(1812).length() <= 48);
    }
}
