package io.nacgw.core.service;

import java.time.Duration;

/**
 * Bounds of the in-memory index.
 *
 * @param maxDevices        most devices held in memory; beyond it devices are loaded from the store on demand
 * @param negativeTtl       how long "no such device" is remembered when a miss had to ask the store
 * @param overflowCacheSize most on-demand-loaded devices kept in memory
 * @param overflowTtl       how long an on-demand-loaded device is kept
 * @param loaderThreads     store lookups running at once for misses
 * @param loaderQueue       store lookups waiting; beyond it a lookup fails fast as overloaded
 */
public record IndexSettings(int maxDevices, Duration negativeTtl, int overflowCacheSize, Duration overflowTtl,
                            int loaderThreads, int loaderQueue) {
    public static final IndexSettings DEFAULTS = new IndexSettings(5_000_000, Duration.ofSeconds(10), 100_000,
            Duration.ofSeconds(60), 4, 10_000);

    public IndexSettings {
        if (maxDevices < 1) {
            throw new IllegalArgumentException("index.maxDevices must be at least 1, got " + maxDevices);
        }
        if (negativeTtl.isNegative() || negativeTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("index.negativeTtl must be 0 to 1h, got " + negativeTtl);
        }
        if (overflowCacheSize < 0) {
            throw new IllegalArgumentException("index.overflowCacheSize must not be negative");
        }
        if (overflowTtl.isNegative() || overflowTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("index.overflowTtl must be 0 to 1h, got " + overflowTtl);
        }
        if (loaderThreads < 1 || loaderThreads > 64) {
            throw new IllegalArgumentException("index.loaderThreads must be 1 to 64, got " + loaderThreads);
        }
        if (loaderQueue < 1) {
            throw new IllegalArgumentException("index.loaderQueue must be at least 1, got " + loaderQueue);
        }
    }

    /** A copy with another device bound. */
    public IndexSettings withMaxDevices(int max) {
        return new IndexSettings(max, negativeTtl, overflowCacheSize, overflowTtl, loaderThreads, loaderQueue);
    }
}
