package io.nacgw.gateway.config;

import io.nacgw.radius.NasClient;
import io.nacgw.radius.proxy.PoolSettings;
import io.nacgw.radius.proxy.ProxySettings;
import io.nacgw.radius.proxy.UpstreamSettings;

import io.nacgw.certs.ClientTls;
import io.nacgw.certs.TlsContexts;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code radius.upstreams.POOL:} a pool of upstream RADIUS home servers that authenticate the user logins of the
 * clients and profiles naming it in {@code authenticateWith}. Needs a restart to change.
 */
public record UpstreamsConfig(String balance, Duration timeout, Boolean statusChecks, Duration checkInterval,
                              Integer deadAfter, Integer reviveAfter, Boolean copyAccounting,
                              LinkedHashMap<String, ServerConfig> servers) {

    /** {@code radius.upstreams.POOL.servers.NAME:} one home server. */
    public record ServerConfig(String address, Integer authPort, Integer acctPort, String secret, String transport,
                               Duration responseTimeout, Integer maxAttempts, Boolean requireMessageAuthenticator,
                               Path certificateFile, Path keyFile, List<Path> caFiles) {
        @Override
        public String toString() {
            return "ServerConfig[" + address + ":" + authPort + ", secret=***]";
        }
    }

    /**
     * Every pool as validated settings, with the profiles of {@code policy} that name a pool in their
     * {@code authenticateWith}; messages name the key.
     */
    static ProxySettings settings(Map<String, UpstreamsConfig> pools, PolicyConfig policy, Path dataDir) {
        List<PoolSettings> list = new ArrayList<>();
        for (Map.Entry<String, UpstreamsConfig> e : pools.entrySet()) {
            String key = "radius.upstreams." + e.getKey();
            if (e.getValue() == null) {
                throw new IllegalArgumentException(key + ".servers must list at least one upstream");
            }
            try {
                list.add(e.getValue().pool(e.getKey(), key, dataDir));
            } catch (IllegalArgumentException ex) {
                String m = ex.getMessage();
                throw new IllegalArgumentException(m != null && m.startsWith(key) ? m : key + ": " + m, ex);
            }
        }
        Map<String, String> routes = new LinkedHashMap<>();
        policy.profiles().forEach((name, p) -> {
            if (p != null && p.authenticateWith() != null) {
                routes.put(name, p.authenticateWith());
            }
        });
        return ProxySettings.of(list).withProfiles(routes);
    }

    private PoolSettings pool(String name, String key, Path dataDir) {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException(key + ".servers must list at least one upstream");
        }
        List<UpstreamSettings> list = new ArrayList<>();
        for (Map.Entry<String, ServerConfig> e : servers.entrySet()) {
            list.add(server(e.getKey(), e.getValue(), key + ".servers." + e.getKey(), dataDir));
        }
        PoolSettings d = PoolSettings.failover(name, list);
        return new PoolSettings(name, list,
                balance == null ? d.balance() : PoolSettings.Balance.fromName(key + ".balance", balance),
                timeout != null ? timeout : d.timeout(), statusChecks != null ? statusChecks : d.statusChecks(),
                checkInterval != null ? checkInterval : d.checkInterval(), deadAfter != null ? deadAfter : d.deadAfter(),
                reviveAfter != null ? reviveAfter : d.reviveAfter(), copyAccounting != null && copyAccounting);
    }

    private static UpstreamSettings server(String name, ServerConfig c, String key, Path dataDir) {
        if (c == null || c.address() == null) {
            throw new IllegalArgumentException(key + ".address is required");
        }
        UpstreamSettings.Transport transport = c.transport() == null ? UpstreamSettings.Transport.UDP
                : UpstreamSettings.Transport.fromName(key + ".transport", c.transport());
        boolean radsec = transport == UpstreamSettings.Transport.RADSEC;
        if (radsec && c.secret() != null && !c.secret().equals("radsec")) {
            throw new IllegalArgumentException(key + ".secret of a radsec upstream is always 'radsec' (RFC 6614 §2.3):"
                    + " leave it out");
        }
        if (!radsec && (c.secret() == null || c.secret().isEmpty())) {
            throw new IllegalArgumentException(key + ".secret is required");
        }
        InetAddress address = NasClient.ipLiteral(key + ".address", c.address());
        int auth = c.authPort() != null ? c.authPort() : radsec ? 2083 : 1812;
        UpstreamSettings d = UpstreamSettings.udp(name, address, auth, radsec ? "radsec" : c.secret());
        try {
            return new UpstreamSettings(name, address, auth, c.acctPort() != null ? c.acctPort() : d.acctPort(),
                    d.secret(), transport,
                    c.responseTimeout() != null ? c.responseTimeout() : d.responseTimeout(),
                    c.maxAttempts() != null ? c.maxAttempts() : d.maxAttempts(),
                    c.requireMessageAuthenticator() == null || c.requireMessageAuthenticator(),
                    clientTls(c, key, dataDir));
        } catch (IllegalArgumentException e) {
            // the settings name the field after the upstream's name: put the full key in front
            throw new IllegalArgumentException(key.substring(0, key.length() - name.length()) + e.getMessage(), e);
        }
    }

    /** The client TLS of a radsec upstream from its files (relative to the data directory), or null when none given. */
    private static ClientTls clientTls(ServerConfig c, String key, Path dataDir) {
        if (c.certificateFile() == null && c.keyFile() == null && (c.caFiles() == null || c.caFiles().isEmpty())) {
            return null;
        }
        if (c.certificateFile() == null || c.keyFile() == null || c.caFiles() == null || c.caFiles().isEmpty()) {
            throw new IllegalArgumentException(key + ".certificateFile, .keyFile and .caFiles go together");
        }
        try {
            return TlsContexts.client(c.caFiles().stream().map(p -> resolve(dataDir, p)).toList(),
                    resolve(dataDir, c.certificateFile()), resolve(dataDir, c.keyFile()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": cannot read the TLS files: " + e.getMessage(), e);
        }
    }

    private static Path resolve(Path dataDir, Path p) {
        return dataDir == null ? p : dataDir.resolve(p);
    }
}
