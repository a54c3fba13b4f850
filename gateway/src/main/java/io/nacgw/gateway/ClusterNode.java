package io.nacgw.gateway;

import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.cluster.ClusterSettings;
import io.nacgw.core.cluster.LeaderElection;
import io.nacgw.core.store.StoreSettings;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * This gateway's place among the nodes on its store: on PostgreSQL a {@link LeaderElection} (the sync leader holds
 * an advisory lock), on the embedded store a lone node that always leads. What must run on one node only asks
 * {@link #role()}.
 */
final class ClusterNode implements AutoCloseable {
    private final ClusterRole role;
    private final LeaderElection election;
    private final Instant started;
    private volatile Runnable onElected = () -> { };

    private ClusterNode(ClusterRole role, LeaderElection election, Instant started) {
        this.role = role;
        this.election = election;
        this.started = started;
    }

    /** Joins the election of a shared store, or leads alone on the embedded one. */
    static ClusterNode start(StoreSettings store, ClusterSettings settings, Clock clock) {
        if (!store.isPostgres()) {
            return new ClusterNode(ClusterRole.solo(settings.nodeName()), null, clock.instant());
        }
        ClusterNode[] self = new ClusterNode[1];
        LeaderElection e = LeaderElection.start(store, settings, clock, () -> {
            if (self[0] != null) {
                self[0].onElected.run();
            }
        });
        self[0] = new ClusterNode(e, e, clock.instant());
        return self[0];
    }

    ClusterRole role() {
        return role;
    }

    /** What to do each time this node becomes the leader after start (e.g. let the sync schedule look at once). */
    void onElected(Runnable r) {
        this.onElected = r;
    }

    /** Since when this node leads (its start on the embedded store); empty while it does not. */
    Optional<Instant> leaderSince() {
        if (election == null) {
            return Optional.of(started);
        }
        return Optional.ofNullable(election.status().leaderSince());
    }

    /** Why the last election check failed (empty: it did not, or there is no election). */
    Optional<String> problem() {
        return election == null ? Optional.empty() : Optional.ofNullable(election.status().problem());
    }

    /** Whether several nodes may share the store (PostgreSQL). */
    boolean shared() {
        return election != null;
    }

    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
    }
}
