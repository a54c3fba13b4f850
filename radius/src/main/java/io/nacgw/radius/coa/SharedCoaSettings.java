package io.nacgw.radius.coa;

import java.time.Duration;

/**
 * Shared mode (several nodes on one PostgreSQL store): how the nodes agree on who sends a CoA (config keys
 * {@code radius.coa.shared.*}).
 *
 * @param heartbeatInterval how often a node records that it is alive, and re-checks the CoA it deferred to another
 *                          node (100 ms-60 s)
 * @param nodeTimeout       a node whose last heartbeat is older is dead: the others send its sessions' CoA
 *                          (at least 2 heartbeat intervals, at most 10 minutes)
 * @param ownerGrace        how much later than this node the owner of a session may learn of a device change
 *                          (the change log's lag between nodes) before this node stops waiting for it to act
 *                          (0-60 s; at least the store's catchUpInterval is sensible)
 * @param claimRetention    age at which CoA claims are pruned (1 minute to 7 days); a change re-applied after
 *                          that could be sent again
 */
public record SharedCoaSettings(Duration heartbeatInterval, Duration nodeTimeout, Duration ownerGrace,
                                Duration claimRetention) {
    /** Beat every 1 s, dead after 5 s, 2 s grace, claims kept 1 hour. */
    public static final SharedCoaSettings DEFAULTS = new SharedCoaSettings(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(2), Duration.ofHours(1));

    public SharedCoaSettings {
        between("radius.coa.shared.heartbeatInterval", heartbeatInterval, Duration.ofMillis(100), Duration.ofSeconds(60));
        between("radius.coa.shared.nodeTimeout", nodeTimeout, heartbeatInterval.multipliedBy(2), Duration.ofMinutes(10));
        between("radius.coa.shared.ownerGrace", ownerGrace, Duration.ZERO, Duration.ofSeconds(60));
        between("radius.coa.shared.claimRetention", claimRetention, Duration.ofMinutes(1), Duration.ofDays(7));
    }

    private static void between(String key, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", got " + d);
        }
    }
}
