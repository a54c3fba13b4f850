package io.nacgw.core.service;

import java.time.Duration;

/**
 * Shared mode (PostgreSQL): how a node follows the device change log.
 *
 * @param catchUpInterval longest wait between reads of the log when no notification arrives (100 ms to 60 s)
 * @param retention       changes older than this are pruned (1 minute to 30 days); a node down longer reloads
 *                        everything when it starts, as every node does
 * @param reloadBehind    a node more changes behind than this (1,000 to 100,000,000) re-reads every device from the
 *                        store (one scan) instead of applying the changes one by one; so does a node whose next
 *                        change was already pruned
 */
public record ChangeLogSettings(Duration catchUpInterval, Duration retention, long reloadBehind) {
    public static final long DEFAULT_RELOAD_BEHIND = 100_000;
    public static final ChangeLogSettings DEFAULTS = new ChangeLogSettings(Duration.ofSeconds(1), Duration.ofDays(1),
            DEFAULT_RELOAD_BEHIND);

    public ChangeLogSettings {
        if (catchUpInterval == null || catchUpInterval.toMillis() < 100 || catchUpInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("store.catchUpInterval must be 100ms to 60s, got " + catchUpInterval);
        }
        if (retention == null || retention.compareTo(Duration.ofMinutes(1)) < 0 || retention.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("store.changeRetention must be 1m to 30d, got " + retention);
        }
        if (reloadBehind < 1_000 || reloadBehind > 100_000_000) {
            throw new IllegalArgumentException("store.reloadBehind must be 1000 to 100000000, got " + reloadBehind);
        }
    }

    public ChangeLogSettings(Duration catchUpInterval, Duration retention) {
        this(catchUpInterval, retention, DEFAULT_RELOAD_BEHIND);
    }
}
