package io.nacgw.radius.proxy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One pool of upstream home servers ({@code radius.upstreams.NAME}).
 *
 * @param name            the pool's name, as {@code authenticateWith} refers to it
 * @param servers         the upstreams, in failover order
 * @param balance         which upstream a new request goes to first
 * @param timeout         the most a request may spend in the pool, across retransmissions and failover (1s-60s;
 *                        at most {@code radius.duplicateTtl}, so a NAS retransmission never starts a second
 *                        upstream request); then nacgw answers Access-Reject
 * @param statusChecks    probe every upstream with Status-Server (RFC 5997) every {@code checkInterval}
 * @param checkInterval   between probes, and how long an unprobed zombie waits before it is tried again (100ms-1h)
 * @param deadAfter       unanswered probes in a row that turn a zombie dead (1-100)
 * @param reviveAfter     answered probes in a row that bring a dead upstream back (1-100)
 * @param copyAccounting  copy every Accounting-Request from NAS clients that use this pool to the upstreams'
 *                        accounting port (best effort: nacgw answers the NAS from its own session table)
 */
public record PoolSettings(String name, List<UpstreamSettings> servers, Balance balance, Duration timeout,
                           boolean statusChecks, Duration checkInterval, int deadAfter, int reviveAfter,
                           boolean copyAccounting) {
    /** How a pool picks the first upstream for a request. */
    public enum Balance {
        /** Always the first live upstream in order; the next ones only when it fails. */
        FAILOVER,
        /** The live upstreams in turn; the next ones when the chosen one fails. */
        ROUND_ROBIN;

        public static Balance fromName(String key, String s) {
            String v = s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            switch (v) {
                case "failover", "fail-over":
                    return FAILOVER;
                case "round-robin", "load-balance":
                    return ROUND_ROBIN;
                default:
                    throw new IllegalArgumentException(key + " must be failover or round-robin, got '" + s + "'");
            }
        }
    }

    public PoolSettings {
        String key = "radius.upstreams." + name + ".";
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("radius.upstreams: a pool needs a name");
        }
        servers = List.copyOf(Objects.requireNonNull(servers, key + "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(key + "servers must list at least one upstream");
        }
        Set<String> names = new HashSet<>();
        for (UpstreamSettings s : servers) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(key + "servers names '" + s.name() + "' twice");
            }
        }
        Objects.requireNonNull(balance, key + "balance");
        Objects.requireNonNull(timeout, key + "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException(key + "timeout must be 1s to 60s, got " + timeout);
        }
        Objects.requireNonNull(checkInterval, key + "checkInterval");
        if (checkInterval.compareTo(Duration.ofMillis(100)) < 0 || checkInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(key + "checkInterval must be 100ms to 1h, got " + checkInterval);
        }
        if (deadAfter < 1 || deadAfter > 100) {
            throw new IllegalArgumentException(key + "deadAfter must be 1 to 100, got " + deadAfter);
        }
        if (reviveAfter < 1 || reviveAfter > 100) {
            throw new IllegalArgumentException(key + "reviveAfter must be 1 to 100, got " + reviveAfter);
        }
    }

    /** A failover pool with the defaults: 8 s budget, Status-Server every 10 s, dead after 3, revived after 3. */
    public static PoolSettings failover(String name, List<UpstreamSettings> servers) {
        return new PoolSettings(name, servers, Balance.FAILOVER, Duration.ofSeconds(8), true, Duration.ofSeconds(10), 3,
                3, false);
    }

    /** A copy with other health-check settings. */
    public PoolSettings withChecks(boolean on, Duration interval, int dead, int revive) {
        return new PoolSettings(name, servers, balance, timeout, on, interval, dead, revive, copyAccounting);
    }

    /** A copy with another balance and budget. */
    public PoolSettings with(Balance b, Duration budget) {
        return new PoolSettings(name, servers, b, budget, statusChecks, checkInterval, deadAfter, reviveAfter,
                copyAccounting);
    }

    /** A copy that copies accounting or not. */
    public PoolSettings withCopyAccounting(boolean on) {
        return new PoolSettings(name, servers, balance, timeout, statusChecks, checkInterval, deadAfter, reviveAfter, on);
    }
}
