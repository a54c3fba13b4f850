package io.nacgw.core.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How this node takes part in a cluster of gateways on one PostgreSQL store.
 *
 * @param nodeName      this node's name, shown by {@code nacgw sync status} and {@code /health} on every node: 1-48
 *                      characters out of letters, digits and {@code . _ : @ [ ] -}
 * @param checkInterval how often a follower tries to take leadership and the leader checks it still holds it
 *                      (100 ms to 60 s): a dead leader is replaced within one interval of its connection closing
 */
public record ClusterSettings(String nodeName, Duration checkInterval) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@\\[\\]-]{1,48}");
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

    public ClusterSettings {
        if (nodeName == null || !NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("cluster.nodeName must be 1-48 characters of letters, digits and "
                    + "'._:@[]-', got '" + nodeName + "'");
        }
        if (checkInterval == null || checkInterval.toMillis() < 100 || checkInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("cluster.leaderCheckInterval must be 100ms to 60s, got " + checkInterval);
        }
    }

    /** The default node name: this host's name and {@code port} (the port tells apart nodes on one host). */
    public static String defaultNodeName(int port) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        String suffix = ":" + port;
        return (host.length() + suffix.length() > 48 ? host.substring(0, 48 - suffix.length()) : host) + suffix;
    }
}
