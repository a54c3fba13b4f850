package io.nacgw.gateway.config;

import java.util.regex.Pattern;

/**
 * {@code cluster:} this node among the gateways sharing one PostgreSQL store.
 *
 * @param nodeName this node's name, unique among the nodes (1-64 of letters, digits, {@code . _ : -}); empty: the
 *                 host name and the RADIUS authentication port. Recorded as the owner of the sessions it serves.
 */
public record ClusterConfig(String nodeName) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public ClusterConfig {
        nodeName = nodeName == null ? "" : nodeName.strip();
        if (!nodeName.isEmpty() && !NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("cluster.nodeName must be 1-64 letters, digits, '.', '_', ':' or '-', got '"
                    + nodeName + "'");
        }
    }

    static ClusterConfig defaults() {
        return new ClusterConfig(null);
    }

    /** The configured name, else {@code host:authPort} (the host name cut to fit 64 characters). */
    public String nodeName(String hostName, int authPort) {
        if (!nodeName.isEmpty()) {
            return nodeName;
        }
        String port = ":" + authPort;
        String host = hostName.replaceAll("[^A-Za-z0-9._-]", "-");
        return host.substring(0, Math.min(host.length(), 64 - port.length())) + port;
    }
}
