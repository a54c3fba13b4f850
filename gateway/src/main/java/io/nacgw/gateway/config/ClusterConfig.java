package io.nacgw.gateway.config;

import io.nacgw.core.cluster.ClusterSettings;

import java.time.Duration;

/**
 * {@code cluster:} this node among the gateways sharing one PostgreSQL store (ignored on the embedded store, where
 * the one node always leads).
 *
 * @param nodeName            this node's name in {@code nacgw sync status} and {@code /health} of every node; empty:
 *                            the host name and the RADIUS authentication port (the HTTPS port without RADIUS)
 * @param leaderCheckInterval how often a follower tries to become the sync leader and the leader checks its lock
 */
public record ClusterConfig(String nodeName, Duration leaderCheckInterval) {
    public ClusterConfig {
        nodeName = nodeName == null ? "" : nodeName.strip();
        leaderCheckInterval = leaderCheckInterval == null ? ClusterSettings.DEFAULT_CHECK_INTERVAL : leaderCheckInterval;
        new ClusterSettings(nodeName.isEmpty() ? "x" : nodeName, leaderCheckInterval); // validates
    }

    static ClusterConfig defaults() {
        return new ClusterConfig(null, null);
    }

    /** The settings, with the default name built from {@code port} when {@code nodeName} is empty. */
    public ClusterSettings settings(int port) {
        return new ClusterSettings(nodeName.isEmpty() ? ClusterSettings.defaultNodeName(port) : nodeName,
                leaderCheckInterval);
    }
}
