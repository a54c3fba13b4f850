package io.nacgw.gateway;

import io.nacgw.core.service.ChangeLogFollower;
import io.nacgw.core.store.StoreHealth;
import io.nacgw.nacapi.Health;
import io.nacgw.nacapi.Health.Check;
import io.nacgw.sync.SyncStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health} of one node, from what the node sees now: the store reachable, the change log followed
 * (shared mode), the sync leadership and how fresh the last sync is, the RADIUS and HTTPS listeners bound. A
 * listener not bound is {@code down} (503): the node cannot serve; anything else wrong is {@code degraded} (200):
 * it still answers, and says why. Every check is computed on the operations port's thread from counters: nothing
 * here touches the database.
 */
final class GatewayHealth implements Supplier<Health> {
    /** The change log counts as lagging after this many catch-up intervals without being caught up (at least 10 s). */
    static final int LAG_INTERVALS = 10;

    private final Supplier<Instant> now;
    private final Supplier<StoreHealth> store;
    private final ChangeLogFollower changeLog;
    private final ClusterNode cluster;
    private final Supplier<SyncStatus> sync;
    private final Duration syncInterval;
    private final Supplier<long[]> radius;
    private final Supplier<Boolean> api;

    /**
     * @param sync         null when sync is disabled
     * @param syncInterval how often the leader syncs (the incremental interval, else the full interval)
     * @param radius       bound and opened channels, null when RADIUS is disabled
     * @param api          whether HTTPS is bound, null when disabled
     */
    GatewayHealth(Supplier<Instant> now, Supplier<StoreHealth> store, ChangeLogFollower changeLog, ClusterNode cluster,
                  Supplier<SyncStatus> sync, Duration syncInterval, Supplier<long[]> radius, Supplier<Boolean> api) {
        this.now = now;
        this.store = store;
        this.changeLog = changeLog;
        this.cluster = cluster;
        this.sync = sync;
        this.syncInterval = syncInterval;
        this.radius = radius;
        this.api = api;
    }

    @Override
    public Health get() {
        Instant t = now.get();
        List<Check> checks = new ArrayList<>();
        checks.add(store(store.get()));
        if (changeLog != null) {
            checks.add(changeLog(changeLog.stats(), changeLog.catchUpInterval()));
        }
        if (sync != null) {
            checks.add(syncLeader(cluster.role().isLeader(), cluster.role().nodeName(), cluster.role().leaderName(),
                    cluster.problem()));
            checks.add(syncFreshness(t, cluster.role().isLeader(), cluster.leaderSince(), sync.get(), syncInterval));
        }
        if (radius != null) {
            long[] r = radius.get();
            checks.add(listener("radius", r[0], r[1]));
        }
        if (api != null) {
            checks.add(listener("https", api.get() ? 1 : 0, 1));
        }
        return Health.of(checks);
    }

    static Check store(StoreHealth h) {
        return h.up() ? Check.up("store", "reachable")
                : Check.degraded("store", "store unreachable since " + h.since() + ": " + h.reason()
                + "; writes are refused, lookups answered from memory");
    }

    static Check changeLog(ChangeLogFollower.Stats s, Duration catchUpInterval) {
        Duration limit = catchUpInterval.multipliedBy(LAG_INTERVALS);
        if (limit.compareTo(Duration.ofSeconds(10)) < 0) {
            limit = Duration.ofSeconds(10);
        }
        String detail = "applied up to change " + s.lastSequence() + ", " + s.behind() + " behind, lag "
                + s.lag().toMillis() + " ms" + (s.connected() ? "" : ", not connected");
        return s.lag().compareTo(limit) > 0
                ? Check.degraded("changeLog", "not caught up for " + s.lag().toSeconds() + " s (over " + limit.toSeconds()
                + " s): other nodes' changes may be missing here; " + detail)
                : Check.up("changeLog", detail);
    }

    static Check syncLeader(boolean leader, String node, Optional<String> leaderName, Optional<String> problem) {
        if (leader) {
            return Check.up("syncLeader", "this node (" + node + ") leads");
        }
        return leaderName.map(l -> Check.up("syncLeader", "node " + l + " leads; this node (" + node + ") follows"))
                .orElseGet(() -> Check.degraded("syncLeader", "no node leads the MDM sync"
                        + problem.map(p -> " (" + p + ")").orElse("")));
    }

    /**
     * The leader's last successful sync is due every {@code interval}: more than two intervals without one (counted
     * from when this node started leading, if later) is stale. A follower leaves this to the leader.
     */
    static Check syncFreshness(Instant now, boolean leader, Optional<Instant> leaderSince, SyncStatus s,
                               Duration interval) {
        if (!leader) {
            return Check.up("syncFreshness", "synced by the leader");
        }
        Instant from = s.lastSuccess();
        Instant since = leaderSince.orElse(now);
        Instant reference = from == null || since.isAfter(from) ? since : from;
        Duration age = Duration.between(reference, now);
        String last = from == null ? "no successful sync yet" : "last success " + from;
        if (age.compareTo(interval.multipliedBy(2)) > 0) {
            return Check.degraded("syncFreshness", last + ", more than twice the interval " + interval + " ago"
                    + (s.lastError() == null ? "" : "; last error: " + s.lastError()));
        }
        return Check.up("syncFreshness", last + (s.running() ? "; a sync is running" : ""));
    }

    static Check listener(String name, long bound, long opened) {
        String detail = bound + " of " + opened + " listening sockets bound";
        return bound == opened ? Check.up(name, detail) : Check.down(name, detail);
    }
}
