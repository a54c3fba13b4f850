package io.nacgw.radius.proxy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every upstream pool ({@code radius.upstreams}) and which profiles authenticate with which pool
 * ({@code policy.profiles.P.authenticateWith}); a NAS client's own {@code authenticateWith} takes precedence over
 * its profile's.
 *
 * @param pools             the pools by name
 * @param profileUpstreams  profile name → pool name
 */
public record ProxySettings(Map<String, PoolSettings> pools, Map<String, String> profileUpstreams) {
    /** No upstreams: nacgw authenticates nothing it cannot check itself. */
    public static final ProxySettings NONE = new ProxySettings(Map.of(), Map.of());

    public ProxySettings {
        pools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pools)); // configuration order
        profileUpstreams = Map.copyOf(profileUpstreams);
        Map<String, UpstreamSettings> byName = new HashMap<>();
        Map<java.net.InetSocketAddress, String> byAddress = new HashMap<>();
        for (Map.Entry<String, PoolSettings> e : pools.entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("radius.upstreams." + e.getKey() + " holds pool " + e.getValue().name());
            }
            for (UpstreamSettings u : e.getValue().servers()) {
                // one upstream may serve several pools (it is then one server: one health, one set of counters)
                UpstreamSettings same = byName.putIfAbsent(u.name(), u);
                if (same != null && !same.equals(u)) {
                    throw new IllegalArgumentException("radius.upstreams: upstream '" + u.name() + "' is defined "
                            + "twice with different settings; give one of them another name");
                }
                String holder = byAddress.putIfAbsent(u.authSocket(), u.name());
                if (holder != null && !holder.equals(u.name())) {
                    throw new IllegalArgumentException("radius.upstreams: upstreams '" + holder + "' and '" + u.name()
                            + "' are both " + u.address().getHostAddress() + ":" + u.authPort());
                }
            }
        }
        for (Map.Entry<String, String> e : profileUpstreams.entrySet()) {
            if (!pools.containsKey(e.getValue())) {
                throw new IllegalArgumentException("policy.profiles." + e.getKey() + ".authenticateWith '" + e.getValue()
                        + "' is not a pool in radius.upstreams " + pools.keySet());
            }
        }
    }

    /** Settings with these pools and no profile routes. */
    public static ProxySettings of(List<PoolSettings> pools) {
        Map<String, PoolSettings> m = new LinkedHashMap<>();
        for (PoolSettings p : pools) {
            if (m.put(p.name(), p) != null) {
                throw new IllegalArgumentException("radius.upstreams defines '" + p.name() + "' twice");
            }
        }
        return new ProxySettings(m, Map.of());
    }

    /** A copy with profile routes. */
    public ProxySettings withProfiles(Map<String, String> profileToPool) {
        return new ProxySettings(pools, profileToPool);
    }

    public boolean enabled() {
        return !pools.isEmpty();
    }

    /** True when a pool of this name exists. */
    public boolean has(String pool) {
        return pools.containsKey(pool);
    }

    /**
     * Checks that no pool's budget outlives the duplicate cache: a NAS retransmission after the cache forgot its
     * request would start a second upstream request.
     */
    public void requireWithin(Duration duplicateTtl) {
        for (PoolSettings p : pools.values()) {
            if (p.timeout().compareTo(duplicateTtl) > 0) {
                throw new IllegalArgumentException("radius.upstreams." + p.name() + ".timeout (" + p.timeout()
                        + ") must not exceed radius.duplicateTtl (" + duplicateTtl + ")");
            }
        }
    }
}
