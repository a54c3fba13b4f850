package io.nacgw.gateway.config;

import io.nacgw.core.service.IndexSettings;

import java.time.Duration;

/** {@code index:} bounds of the in-memory compliance index (see {@link IndexSettings}). */
public record IndexConfig(Integer maxDevices, Duration negativeTtl, Integer overflowCacheSize, Duration overflowTtl,
                          Integer loaderThreads, Integer loaderQueue) {
    public IndexConfig {
        IndexSettings d = IndexSettings.DEFAULTS;
        maxDevices = maxDevices == null ? d.maxDevices() : maxDevices;
        negativeTtl = negativeTtl == null ? d.negativeTtl() : negativeTtl;
        overflowCacheSize = overflowCacheSize == null ? d.overflowCacheSize() : overflowCacheSize;
        overflowTtl = overflowTtl == null ? d.overflowTtl() : overflowTtl;
        loaderThreads = loaderThreads == null ? d.loaderThreads() : loaderThreads;
        loaderQueue = loaderQueue == null ? d.loaderQueue() : loaderQueue;
        settings(maxDevices, negativeTtl, overflowCacheSize, overflowTtl, loaderThreads, loaderQueue); // validates
    }

    private static IndexSettings settings(int a, Duration b, int c, Duration d, int e, int f) {
        return new IndexSettings(a, b, c, d, e, f);
    }

    static IndexConfig defaults() {
        return new IndexConfig(null, null, null, null, null, null);
    }

    public IndexSettings settings() {
        return settings(maxDevices, negativeTtl, overflowCacheSize, overflowTtl, loaderThreads, loaderQueue);
    }
}
