package io.nacgw.core.service;

import java.time.Duration;

/**
 * Shared mode (PostgreSQL): how a node follows the device change log.
 *
 * @param catchUpInterval longest wait between reads of the log when no notification arrives (100 ms to 60 s)
 * @param retention       changes older than this are pruned (1 minute to 30 days); a node down longer reloads
 *                        everything when it starts, as every node does
 */
public record ChangeLogSettings(Duration catchUpInterval, Duration retention) {
    public static final ChangeLogSettings DEFAULTS = new ChangeLogSettings(Duration.ofSeconds(1), Duration.ofDays(1));

    public ChangeLogSettings {
        if (catchUpInterval == null || catchUpInterval.toMillis() < 100 || catchUpInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("store.catchUpInterval must be 100ms to 60s, got " + catchUpInterval);
        }
        if (retention == null || retention.compareTo(Duration.ofMinutes(1)) < 0 || retention.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("store.changeRetention must be 1m to 30d, got " + retention);
        }
    }
}
