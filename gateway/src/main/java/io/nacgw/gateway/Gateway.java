package io.nacgw.gateway;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.session.SessionStore;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.RadiusServer;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.sync.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One running nacgw: opens the store, loads the compliance index, builds the access policy and starts the
 * protocol servers; {@link #close()} stops them in reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final NacgwConfig config;
    private final Clock clock;
    private final ComplianceStore store;
    private final ComplianceService compliance;
    private final AccessPolicy policy;
    private final SyncService sync;
    private final RadiusServer radius;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    private Gateway(NacgwConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.policy = config.policy().toAccessPolicy();
        createDataDir(config.dataDir());
        this.store = ComplianceStore.open(config.store().settings(config.dataDir()));
        closeables.push(store);
        try {
            this.compliance = ComplianceService.start(store, config.index().settings());
            closeables.push(compliance);
            closeables.push(metrics);
            metrics.bindIndex(compliance);
            if (config.radius().enabled()) {
                SessionStore sessions = SessionStore.open(config.store().settings(config.dataDir()));
                closeables.push(sessions);
                Path auditFile = config.dataDir().resolve(config.audit().file());
                AuditSink audit = AuditSink.file(auditFile);
                this.radius = RadiusServer.start(config.radius().settings(config.audit().queueSize()),
                        config.radius().nasClients(policy), new RadiusServices(policy, compliance, sessions, audit, clock));
                closeables.push(radius);
                metrics.bindRadius(radius);
            } else {
                this.radius = null;
            }
            if (config.sync().enabled()) {
                this.sync = SyncService.create(config.sync().settings(), compliance);
                closeables.push(sync);
                metrics.bindSync(sync);
                sync.start();
            } else {
                this.sync = null;
            }
        } catch (IOException e) {
            closeQuietly();
            throw new IllegalStateException("cannot open the audit log: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens everything; on failure closes what was opened and rethrows. */
    public static Gateway start(NacgwConfig config, Clock clock) {
        Gateway g = new Gateway(config, clock);
        log.info("nacgw ready: {} devices in memory, profiles {}", g.compliance.residentCount(), g.policy.names());
        return g;
    }

    /** Creates the data directory (and parents) or fails naming it. */
    public static void createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public NacgwConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public ComplianceService compliance() {
        return compliance;
    }

    public AccessPolicy policy() {
        return policy;
    }

    /** Prometheus metrics of every component. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The RADIUS server, when {@code radius.enabled}. */
    public java.util.Optional<RadiusServer> radius() {
        return java.util.Optional.ofNullable(radius);
    }

    /**
     * Applies what can change without a restart from a freshly loaded config: today the RADIUS clients. The new
     * clients are validated before anything changes; on error the running ones stay.
     */
    public void reload(NacgwConfig fresh) {
        if (radius != null) {
            radius.reload(fresh.radius().nasClients(policy));
            log.info("reloaded {} RADIUS clients", fresh.radius().clients().size());
        }
    }

    /** The MDM sync connector, when {@code sync.enabled}. */
    public java.util.Optional<SyncService> sync() {
        return java.util.Optional.ofNullable(sync);
    }

    private void closeQuietly() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
        log.info("nacgw stopped");
    }
}
