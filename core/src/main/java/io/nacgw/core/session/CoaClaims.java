package io.nacgw.core.session;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Shared mode: what lets several nodes on one store send each CoA exactly once. A CoA for a session, caused by one
 * change, is sent only by the node whose {@link #claim} of (session id, change key) succeeded; the database's
 * unique key decides, so two nodes never both win. Each node also beats ({@link #heartbeat}), saying until when it
 * has looked at every device change it received, so the others know whether an owner is alive and up to date.
 * Every method blocks on I/O (never call it from an event loop).
 */
public interface CoaClaims {

    /** Claims the CoA of {@code sessionId} for the change {@code changeKey}; true when this call won it. */
    boolean claim(String sessionId, String changeKey, String node);

    /**
     * Claims the CoA of each of {@code claims} for {@code node} at once (one transaction: on failure none is
     * claimed); returns those this call won. A claim listed twice is won at most once.
     */
    Set<Claim> claimAll(Collection<Claim> claims, String node);

    /** One CoA to claim: of session {@code sessionId}, for the change {@code changeKey}. */
    record Claim(String sessionId, String changeKey) {
        public Claim {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(changeKey, "changeKey");
        }
    }

    /**
     * Records that {@code node} is alive at {@code at} and has looked at every device change it received before
     * {@code doneAt} (and claimed the CoA it called for).
     */
    void heartbeat(String node, Instant at, Instant doneAt);

    /** Every node's last heartbeat, by node name. */
    Map<String, Beat> nodes();

    /** Removes {@code node}'s heartbeat: it is stopping, so the other nodes take over its sessions' CoA at once. */
    void leave(String node);

    /** Deletes claims made before {@code cutoff}; returns how many. */
    int pruneBefore(Instant cutoff);

    /**
     * A node's last heartbeat.
     *
     * @param node        its name
     * @param heartbeatAt when it last beat
     * @param doneAt      it had looked at every device change it received before this time
     */
    record Beat(String node, Instant heartbeatAt, Instant doneAt) {
        public Beat {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(heartbeatAt, "heartbeatAt");
            Objects.requireNonNull(doneAt, "doneAt");
        }
    }
}
