package io.nacgw.gateway;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.ClientAuth;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ReloadingTlsContext;
import io.nacgw.certs.Role;
import io.nacgw.certs.Roles;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.ServerTlsConfig;
import io.nacgw.core.session.SessionStore;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.ApiServer;
import io.nacgw.nacapi.ClientIdentityResolver;
import io.nacgw.nacapi.MetricsServer;
import java.time.Duration;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.RadiusServer;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.eap.EapSettings;
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
    private final ApiServer api;
    private final MetricsServer metricsServer;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    private Gateway(NacgwConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.policy = config.policy().toAccessPolicy();
        createDataDir(config.dataDir());
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        closeables.push(lock);
        try {
            this.store = ComplianceStore.open(config.store().settings(config.dataDir()));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
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
                AuditSink audit = openAudit(auditFile);
                var pki = pki().layout();
                EapSettings eap = config.radius().eap().settings(config.dataDir(), pki.serverCertificate(),
                        pki.serverKey());
                this.radius = RadiusServer.start(config.radius().settings(config.audit().queueSize()), eap,
                        config.radius().nasClients(policy), new RadiusServices(policy, compliance, sessions, audit, clock));
                closeables.push(radius);
                metrics.bindRadius(radius);
                metrics.bindEap(radius);
            } else {
                this.radius = null;
            }
            if (config.api().enabled()) {
                this.api = startApi();
                closeables.push(api);
                metrics.bindApi(api);
            } else {
                this.api = null;
            }
            if (config.sync().enabled()) {
                this.sync = SyncService.create(config.sync().settings(), compliance);
                closeables.push(sync);
                metrics.bindSync(sync);
                sync.start();
            } else {
                this.sync = null;
            }
            SyncOperations syncOps = sync == null ? null : new SyncOperations(sync);
            if (syncOps != null) {
                closeables.push(syncOps);
            }
            if (config.metrics().enabled()) {
                this.metricsServer = MetricsServer.start(config.metrics().settings(), metrics::scrape, () -> true,
                        SyncOperations.endpoints(syncOps));
                closeables.push(metricsServer);
            } else {
                this.metricsServer = null;
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static AuditSink openAudit(Path file) {
        try {
            return AuditSink.file(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The gateway's pki/ (HTTPS, and EAP-TLS by default), created with development certificates on first start. */
    private CertificateAuthority pki() {
        CertificateAuthority ca = CertificateAuthority.open(config.dataDir().resolve("pki"), clock);
        if (!ca.initialized()) {
            var init = ca.init(ServerNames.defaults(), KeyType.defaultType(), false);
            log.info("created development certificates in {} (replace them with `nacgw certs init --host ...`): {}",
                    ca.layout(), init.written());
        }
        return ca;
    }

    /** The HTTPS API's TLS from pki/. */
    private ApiServer startApi() {
        CertificateAuthority ca = pki();
        ClientAuth clientAuth = ClientAuth.valueOf(config.api().clientCertificates().toUpperCase(java.util.Locale.ROOT));
        ReloadingTlsContext tls = ReloadingTlsContext.start(ServerTlsConfig.fromPki(ca.layout(), clientAuth).withClock(clock),
                Duration.ofSeconds(10));
        closeables.push(tls);
        String partnerProfile = config.api().partnerProfile();
        ClientIdentityResolver certificates = cert -> Roles.of(cert).map(role -> new ApiPrincipal(
                commonName(cert), role == Role.ADMIN ? ApiRole.ADMIN : ApiRole.PARTNER, partnerProfile));
        return ApiServer.start(config.api().settings(),
                config.ise().settings(redirectFallback(policy), io.nacgw.gateway.cli.VersionCommand.version()),
                config.api().auth(policy, certificates), tls::newEngine, compliance, policy, clock);
    }

    /** The default profile's remediation URL, else its enrolment URL (null: none). */
    public static String redirectFallback(AccessPolicy policy) {
        String r = policy.defaultProfile().remediationUrl();
        return r != null ? r : policy.defaultProfile().enrollmentUrl();
    }

    private static String commonName(java.security.cert.X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return dn;
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

    /** The HTTPS API, when {@code api.enabled}. */
    public java.util.Optional<ApiServer> api() {
        return java.util.Optional.ofNullable(api);
    }

    /** The plain-HTTP metrics and health server, when {@code metrics.enabled}. */
    public java.util.Optional<MetricsServer> metricsServer() {
        return java.util.Optional.ofNullable(metricsServer);
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
