package io.nacgw.gateway;

import io.nacgw.core.cluster.ClusterRole;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.gateway.config.SyncConfig;
import io.nacgw.sync.SyncService;
import io.nacgw.sync.SyncSettings;
import io.nacgw.sync.SyncStatus;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The MDM sync connector as {@code nacgw reload} sees it: started from {@code sync.*}, its settings replaced live
 * (status, counters and, for the same tenant, the high-water mark kept), stopped when {@code sync.enabled} turns off
 * and started again when it turns on. The service and its operations are built once, on first enabling, and kept, so
 * {@code /sync/*}, the metrics and the cluster hook always reach the same connector. Not thread-safe: the gateway
 * calls it at start and under its reload lock.
 */
final class LiveSync {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LiveSync.class);
    private final ComplianceService compliance;
    private final ClusterNode cluster;
    private final Consumer<AutoCloseable> closeables;
    private final Consumer<SyncService> bindMetrics;
    private SyncService service;
    private SyncOperations ops;
    private volatile boolean enabled;
    private SyncSettings settings;

    LiveSync(ComplianceService compliance, ClusterNode cluster, Consumer<AutoCloseable> closeables,
             Consumer<SyncService> bindMetrics) {
        this.compliance = compliance;
        this.cluster = cluster;
        this.closeables = closeables;
        this.bindMetrics = bindMetrics;
    }

    /** A checked reload of {@code sync.*}: the settings are read (credential files too) before anything changes. */
    record Plan(boolean enable, SyncSettings settings) {
    }

    /**
     * Reads {@code fresh}: its settings when enabled (a missing or unreadable credential, a bad value: a
     * {@link io.nacgw.gateway.config.ConfigException} naming the key, and the reload is refused). Null when nothing
     * changes.
     */
    Plan plan(SyncConfig fresh) {
        if (!fresh.enabled()) {
            return enabled ? new Plan(false, null) : null;
        }
        SyncSettings next = fresh.settings();
        return enabled && settings.sameAs(next) ? null : new Plan(true, next);
    }

    /** Applies a plan from {@link #plan}; answers what changed, for the reload answer. */
    String apply(Plan p) {
        if (!p.enable()) {
            enabled = false;
            service.stop();
            return "sync: disabled, schedule stopped (a run in progress finishes)";
        }
        String what;
        if (service == null) {
            create(p.settings());
            what = "sync: enabled, schedule started";
        } else {
            String changes = changes(settings, p.settings());
            service.reconfigure(p.settings());
            if (!enabled) {
                service.start();
                what = "sync: enabled, schedule started" + (changes.isEmpty() ? "" : " (" + changes + ")");
            } else {
                what = "sync: " + changes + "; the next run uses them";
            }
        }
        settings = p.settings();
        enabled = true;
        return what;
    }

    /** Starts with the gateway's config (when enabled). */
    void start(SyncConfig config) {
        Plan p = plan(config);
        if (p != null) {
            apply(p);
        }
    }

    private void create(SyncSettings s) {
        service = SyncService.create(s, compliance, cluster.role());
        closeables.accept(service);
        bindMetrics.accept(service);
        cluster.onElected(service::tickNow); // a new leader syncs at once, not at its next tick
        service.start();
        ops = new SyncOperations(service, cluster.role());
        closeables.accept(ops);
    }

    /** The connector while enabled. */
    Optional<SyncService> service() {
        return enabled ? Optional.of(service) : Optional.empty();
    }

    /** The operations port's view: null while disabled ({@code /sync/*} answer 404). */
    SyncOperations operations() {
        return enabled ? ops : null;
    }

    /** The status for {@code /health}, null while disabled. */
    Supplier<SyncStatus> status() {
        return enabled ? service::status : null;
    }

    /** How often a run is expected (for the staleness check of {@code /health}), null while disabled. */
    Duration interval() {
        if (!enabled) {
            return null;
        }
        return settings.incrementalInterval().isZero() ? settings.fullInterval() : settings.incrementalInterval();
    }

    /** The settings that differ, by key; credentials only named, never shown. */
    static String changes(SyncSettings a, SyncSettings b) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        diff(parts, "tokenUrl", a.tokenUrl(), b.tokenUrl());
        diff(parts, "clientId", a.clientId(), b.clientId());
        diff(parts, "scope", a.scope(), b.scope());
        diff(parts, "baseUrl", a.baseUrl(), b.baseUrl());
        diff(parts, "pageSize", a.pageSize(), b.pageSize());
        diff(parts, "fullInterval", a.fullInterval(), b.fullInterval());
        diff(parts, "incrementalInterval", a.incrementalInterval(), b.incrementalInterval());
        diff(parts, "requestTimeout", a.requestTimeout(), b.requestTimeout());
        diff(parts, "maxAttempts", a.maxAttempts(), b.maxAttempts());
        diff(parts, "initialBackoff", a.initialBackoff(), b.initialBackoff());
        diff(parts, "maxBackoff", a.maxBackoff(), b.maxBackoff());
        diff(parts, "maxRetryAfter", a.maxRetryAfter(), b.maxRetryAfter());
        diff(parts, "incrementalOverlap", a.incrementalOverlap(), b.incrementalOverlap());
        diff(parts, "retireGuardPercent", a.retireGuardPercent(), b.retireGuardPercent());
        diff(parts, "retireGuardMinimum", a.retireGuardMinimum(), b.retireGuardMinimum());
        diff(parts, "retireConfirmConcurrency", a.retireConfirmConcurrency(), b.retireConfirmConcurrency());
        if (parts.isEmpty()) {
            parts.add("credential"); // sameAs said they differ: only the secret or certificate can be left
        }
        boolean newSource = !a.tokenUrl().equals(b.tokenUrl()) || !a.baseUrl().equals(b.baseUrl());
        String s = String.join(", ", parts);
        if (newSource) {
            s += " (new tenant or Graph URL: the next run is a full sync)";
        }
        log.debug("sync settings changed: {}", s);
        return s;
    }

    private static void diff(java.util.List<String> parts, String key, Object a, Object b) {
        if (!a.equals(b)) {
            parts.add(key + " " + a + " -> " + b);
        }
    }
}
