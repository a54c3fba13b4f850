package io.nacgw.gateway.config;

import java.nio.file.Path;

/**
 * The whole configuration. Every section is optional in the file; absent values take the documented defaults
 * (README, "Configuration reference").
 *
 * @param dataDir where the embedded store, certificates and logs live (default {@code ./data})
 * @param cluster this node among the gateways on one PostgreSQL store (shared mode)
 */
public record NacgwConfig(Path dataDir, StoreConfig store, IndexConfig index, PolicyConfig policy, AuditConfig audit,
                          SyncConfig sync, RadiusConfig radius, ApiConfig api, IseConfig ise, MetricsConfig metrics,
                          LoggingConfig logging, ClusterConfig cluster) {
    public NacgwConfig {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        store = store == null ? StoreConfig.defaults() : store;
        index = index == null ? IndexConfig.defaults() : index;
        if (policy == null) {
            throw new IllegalArgumentException("policy must define at least one profile");
        }
        audit = audit == null ? AuditConfig.defaults() : audit;
        sync = sync == null ? SyncConfig.disabled() : sync;
        radius = radius == null ? RadiusConfig.defaults() : radius;
        api = api == null ? ApiConfig.defaults() : api;
        ise = ise == null ? IseConfig.defaults() : ise;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        logging = logging == null ? LoggingConfig.defaults() : logging;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
    }

    /** A copy with another data directory. */
    public NacgwConfig withDataDir(Path dir) {
        return new NacgwConfig(dir, store, index, policy, audit, sync, radius, api, ise, metrics, logging, cluster);
    }
}
