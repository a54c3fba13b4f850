package io.nacgw.core.cluster;

import java.util.Optional;

/**
 * This node's role among the gateways sharing one store. On the embedded store there is one node, always the
 * leader; on PostgreSQL the leader is the node holding the cluster's advisory lock, and leadership moves to another
 * node within one check interval when the leader's connection dies. Cheap and non-blocking: safe on an event loop.
 */
public interface ClusterRole {

    /** True while this node holds leadership (it may lose it at any moment; re-check before each unit of work). */
    boolean isLeader();

    /** This node's name ({@code cluster.nodeName}; default host name and RADIUS/API port). */
    String nodeName();

    /** The leader's name as last seen; empty when no node leads (e.g. the store is unreachable). */
    Optional<String> leaderName();

    /** A single node that always leads (the embedded store). */
    static ClusterRole solo(String nodeName) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be blank");
        }
        return new ClusterRole() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public String nodeName() {
                return nodeName;
            }

            @Override
            public Optional<String> leaderName() {
                return Optional.of(nodeName);
            }

            @Override
            public String toString() {
                return "ClusterRole[solo " + nodeName + "]";
            }
        };
    }
}
