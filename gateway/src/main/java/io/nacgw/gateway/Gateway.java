package io.nacgw.gateway;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.ChangeLogFollower;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
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
import io.nacgw.nacapi.server.ApiServer;
import io.nacgw.nacapi.auth.ClientIdentityResolver;
import io.nacgw.nacapi.MetricsServer;
import java.time.Duration;
import io.nacgw.gateway.config.ConfigDiff;
import io.nacgw.gateway.config.IseConfig;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.coa.CoaSender;
import io.nacgw.radius.coa.CoaSettings;
import io.nacgw.radius.coa.SessionReauthorizer;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.radsec.RadSecServer;
import io.nacgw.sync.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One running nacgw: opens the store, loads the compliance index, builds the access policy and starts the
 * protocol servers; {@link #close()} stops them in reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final NacgwConfig config;
    /** The policy and RADIUS clients as last applied (start or reload): what the next reload compares against. */
    private volatile io.nacgw.gateway.config.PolicyConfig currentPolicy;
    private volatile Map<String, io.nacgw.gateway.config.RadiusConfig.ClientConfig> currentClients;
    /** API users and log levels as last applied (reload applies them live). */
    private volatile List<io.nacgw.gateway.config.ApiConfig.UserConfig> currentApiUsers;
    private volatile io.nacgw.gateway.config.LoggingConfig currentLogging;
    private volatile io.nacgw.nacapi.ise.IseSettings currentIse;
    private final LogLevels logLevels = new LogLevels();
    private final java.util.function.Supplier<NacgwConfig> reloadSource;
    private final Clock clock;
    private final ComplianceStore store;
    private final ComplianceService compliance;
    private final AccessPolicy policy;
    private final LiveSync sync;
    private final RadiusServer radius;
    /** The audit file (RADIUS decisions and CoA); reopened on every reload, for logrotate. */
    private AuditSink auditSink;
    private final CoaSender coa;
    private final SessionReauthorizer reauthorizer;
    private final SessionCoaActions coaActions;
    private final ApiServer api;
    private final MetricsServer metricsServer;
    private final SessionStore sessions;
    private final ChangeLogFollower changeLog;
    private final ClusterNode cluster;
    private volatile GatewayHealth healthChecks;
    /** Shared mode's CoA coordination; null on the embedded store or with CoA off. */
    private io.nacgw.radius.coa.CoaCoordinator coordinator;
    private final GatewayMetrics metrics = new GatewayMetrics();
    /** Every audit line, for the console's live pages. */
    private final io.nacgw.nacapi.console.DecisionFeed decisionFeed;
    /** The sync's operations endpoints once it runs (the API starts first and looks them up when called). */
    private volatile Map<String, MetricsServer.Operation> syncEndpoints = SyncOperations.endpoints(null);
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    private Gateway(NacgwConfig config, Clock clock, java.util.function.Supplier<NacgwConfig> reloadSource) {
        this.config = config;
        this.currentPolicy = config.policy();
        this.currentClients = config.radius().clients();
        this.currentApiUsers = config.api().users();
        this.currentLogging = config.logging();
        logLevels.apply(config.logging().levels());
        this.reloadSource = reloadSource;
        this.clock = clock;
        this.policy = config.policy().toAccessPolicy();
        this.decisionFeed = new io.nacgw.nacapi.console.DecisionFeed(config.api().console().recentDecisions(),
                new io.nacgw.nacapi.console.AuditHistory(config.dataDir().resolve(config.audit().file()),
                        config.api().console().recentDecisions()));
        createDataDir(config.dataDir());
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        closeables.push(lock);
        try {
            this.store = metrics.timed(ComplianceStore.open(config.store().settings(config.dataDir())));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        closeables.push(store);
        try {
            StoreSettings storeSettings = config.store().settings(config.dataDir());
            // shared mode: listen before loading, so a change committed meanwhile is applied after the load
            ChangeLogFollower follower = storeSettings.isPostgres()
                    ? ChangeLogFollower.open(storeSettings, config.store().changeLog(), clock) : null;
            if (follower != null) {
                closeables.push(follower);
            }
            this.compliance = ComplianceService.start(store, config.index().settings());
            closeables.push(compliance);
            if (follower != null) {
                // closed before the index and the store it applies changes to
                closeables.remove(follower);
                closeables.push(follower);
            }
            this.changeLog = follower;
            closeables.push(metrics);
            metrics.bindBuildInfo(BuildInfo.version(),
                    BuildInfo.commit());
            metrics.bindIndex(compliance);
            metrics.bindConsole(decisionFeed);
            this.sessions = SessionStore.open(storeSettings, clock, storeSettings.isPostgres() ? nodeName() : null);
            closeables.push(sessions);
            if (config.radius().enabled()) {
                Path auditFile = config.dataDir().resolve(config.audit().file());
                AuditSink audit = openAudit(auditFile, config.audit().rotate().rotation(), clock);
                this.auditSink = audit;
                var pki = pki().layout();
                EapSettings eap = config.radius().eap().settings(config.dataDir(), pki.serverCertificate(),
                        pki.serverKey());
                this.radius = RadiusServer.start(config.radius().settings(config.audit().queueSize()), eap,
                        config.radius().proxySettings(config.policy(), config.dataDir()), config.radius().nasClients(policy),
                        new RadiusServices(policy, compliance, sessions, ConsoleWiring.tee(audit, decisionFeed), clock));
                closeables.push(radius);
                metrics.bindRadius(radius);
                radius.proxy().ifPresent(metrics::bindProxy);
                metrics.bindEap(radius);
                metrics.bindDecisions(radius);
                startRadSec(radius, pki);
                CoaSettings coaSettings = config.radius().coa().settings();
                if (coaSettings.enabled()) {
                    this.coa = CoaSender.start(coaSettings, radius::client, radius::audit, clock, metrics::observeCoa,
                            radius.radsec().map(RadSecServer::links).orElse(null));
                    closeables.push(coa);
                    this.reauthorizer = new SessionReauthorizer(policy, compliance, sessions, radius::client, coa, clock,
                            coaSettings.queueSize());
                    reauthorizer.onSessionEnd(radius.sessionEnds());
                    closeables.push(reauthorizer);
                    compliance.addListener(reauthorizer);
                    metrics.bindCoa(coa, reauthorizer);
                    if (storeSettings.isPostgres()) {
                        shareCoa(reauthorizer);
                    }
                } else {
                    this.coa = null;
                    this.reauthorizer = null;
                }
            } else {
                this.radius = null;
                this.coa = null;
                this.reauthorizer = null;
            }
            this.coaActions = new SessionCoaActions(sessions, reauthorizer, clock);
            closeables.push(coaActions);
            if (changeLog != null) {
                changeLog.start(compliance); // after the CoA listener, so remote changes trigger CoA here too
            }
            if (config.api().enabled()) {
                this.api = startApi();
                closeables.push(api);
                metrics.bindApi(api);
            } else {
                this.api = null;
            }
            this.cluster = startCluster();
            this.sync = new LiveSync(compliance, cluster, closeables::push, metrics::bindSync);
            sync.start(config.sync());
            this.healthChecks = healthChecks();
            this.syncEndpoints = SyncOperations.liveEndpoints(sync::operations); // follows reloads turning sync on/off
            if (config.metrics().enabled()) {
                Map<String, MetricsServer.Operation> ops = new HashMap<>(syncEndpoints);
                ops.putAll(coaActions.endpoints());
                ops.put("/reload", ReloadOperation.of(this, reloadSource));
                ops.putAll(SessionOperations.endpoints(sessions, clock));
                ops.putAll(DeviceOperations.endpoints(store, policy, clock));
                ops.putAll(StoreFiles.endpoints(store));
                ops.putAll(DebugOperations.endpoints(radius == null ? null : radius.debug()));
                ops.putAll(ConsoleWiring.endpoints(consoleParts(null)));
                this.metricsServer = MetricsServer.startWithHealth(config.metrics().settings(), metrics::scrape, this::health,
                        ops);
                closeables.push(metricsServer);
            } else {
                this.metricsServer = null;
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * This node's name as the owner of the sessions it records: {@code cluster.nodeName}, else the host name and the
     * configured RADIUS authentication port (the HTTPS port without RADIUS) — the sync leader's name too, unless a
     * port is 0 (tests), which is bound only later.
     */
    public String nodeName() {
        int port = config.radius().enabled() ? config.radius().settings(1).authPort()
                : config.api().enabled() ? config.api().settings().port() : (int) ProcessHandle.current().pid();
        return config.cluster().settings(port).nodeName();
    }

    /** Shared mode: each CoA goes out from exactly one node (the session's owner, or another if it is dead). */
    private void shareCoa(SessionReauthorizer r) {
        io.nacgw.radius.coa.CoaCoordinator c = r.share(sessions.claims(), nodeName(), config.radius().coa().shared().settings());
        closeables.push(c);
        this.coordinator = c;
        metrics.bindCoaCoordination(c);
    }

    private static AuditSink openAudit(Path file, io.nacgw.radius.audit.AuditRotation rotation, Clock clock) {
        try {
            return AuditSink.file(file, rotation, clock);
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

    /**
     * RadSec (radius.radsec) on the RADIUS server's request path: server certificate from pki/, NAS certificates
     * from nacgw's CA (role nas) or radius.radsec.trustedCaFiles, CRLs from pki/crl.pem and radius.radsec.crlFiles;
     * a changed CRL also closes the open connections of revoked NASes.
     */
    private void startRadSec(RadiusServer radius, io.nacgw.certs.PkiLayout pki) {
        var cfg = config.radius().radsec();
        var settings = cfg.settings(config.radius().bindAddress());
        if (!settings.enabled()) {
            return;
        }
        ServerTlsConfig tlsConfig = ServerTlsConfig.fromPki(pki, ClientAuth.REQUIRE).withClock(clock);
        for (Path ca : cfg.trustedCaFiles()) {
            tlsConfig = tlsConfig.withExtraTrustedCa(config.dataDir().resolve(ca));
        }
        for (Path crl : cfg.crlFiles()) {
            tlsConfig = tlsConfig.withCrl(config.dataDir().resolve(crl));
        }
        ReloadingTlsContext tls = ReloadingTlsContext.start(tlsConfig, Duration.ofSeconds(10));
        closeables.push(tls);
        var radsec = radius.startRadSec(settings, tls);
        tls.onReload(() -> radsec.closeUntrusted(tls::stillTrusts));
        metrics.bindRadSec(radsec);
    }

    /** The HTTPS API's TLS from pki/. */
    private ApiServer startApi() {
        CertificateAuthority ca = pki();
        ClientAuth clientAuth = ClientAuth.valueOf(config.api().clientCertificates().toUpperCase(java.util.Locale.ROOT));
        ReloadingTlsContext tls = ReloadingTlsContext.start(ServerTlsConfig.fromPki(ca.layout(), clientAuth).withClock(clock),
                Duration.ofSeconds(10));
        closeables.push(tls);
        String partnerProfile = config.api().partnerProfile();
        // a NAS certificate (RadSec) is no API identity
        ClientIdentityResolver certificates = cert -> Roles.of(cert).filter(role -> role != Role.NAS).map(role -> new ApiPrincipal(
                commonName(cert), role == Role.ADMIN ? ApiRole.ADMIN : ApiRole.PARTNER, partnerProfile));
        currentIse = config.ise().settings(IseConfig.redirectFallback(policy), BuildInfo.version());
        ApiServer api = ApiServer.start(config.api().settings(), currentIse,
                config.api().auth(policy, certificates), tls::newEngine, compliance, policy, sessions, coaActions,
                console(ca), clock);
        // a revocation (crl.pem rewritten by `nacgw certs revoke`) also ends connections already open with that certificate
        tls.onReload(() -> api.closeUntrustedConnections(tls::stillTrusts));
        return api;
    }

    /** The console's settings and the admin operations its pages call (issue 17). */
    private io.nacgw.nacapi.console.ConsoleServices console(CertificateAuthority ca) {
        var c = config.api().console();
        var parts = consoleParts(ca);
        return new io.nacgw.nacapi.console.ConsoleServices(c.enabled(), c.idleTimeout(), c.maxSessions(), decisionFeed,
                ConsoleWiring.operations(parts));
    }

    /** What the console's operations read ({@code ca} null: no certificate operations). */
    private ConsoleWiring.Parts consoleParts(CertificateAuthority ca) {
        return new ConsoleWiring.Parts(decisionFeed, metrics.registry(), compliance, this::health,
                () -> syncEndpoints, ca, () -> currentClients, clock);
    }

    /** The default profile's remediation URL, else its enrolment URL (null: none). */

    /** The subject's most specific CN, unescaped (RFC 4514: {@code CN=Smith\, John}); the whole DN when it has none. */
    static String commonName(java.security.cert.X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        try {
            java.util.List<javax.naming.ldap.Rdn> rdns = new javax.naming.ldap.LdapName(dn).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // LdapName lists the RDNs right to left
                javax.naming.directory.Attribute cn = rdns.get(i).toAttributes().get("CN");
                if (cn != null && cn.get() instanceof String value) {
                    return value;
                }
            }
        } catch (javax.naming.NamingException e) {
            // the JDK printed it, so it parses; if not, the whole DN still names the certificate
        }
        return dn;
    }

    /** The sync leader election (shared store) or the lone leader (embedded); named after the bound port by default. */
    private ClusterNode startCluster() {
        int port = radius != null ? radius.authAddress().getPort()
                : api != null ? api.address().getPort() : (int) ProcessHandle.current().pid();
        ClusterNode node = ClusterNode.start(config.store().settings(config.dataDir()), config.cluster().settings(port),
                clock);
        closeables.push(node);
        metrics.bindCluster(node.role());
        if (changeLog != null) {
            metrics.bindChangeLog(changeLog);
        }
        return node;
    }

    private GatewayHealth healthChecks() {
        return new GatewayHealth(clock::instant, store::health, changeLog, cluster, sync.status(), sync.interval(),
                radius == null ? null : () -> new long[] {radius.boundChannels(), radius.channelCount()},
                api == null ? null : api::bound);
    }

    /**
     * {@code /health}: {@code up}; {@code degraded} (still answering) while the store is unreachable (lookups from
     * memory, writes 503), the change log lags, no node leads the sync or the last sync is stale; {@code down}
     * when a RADIUS or HTTPS listener is not bound. Each check is in the body.
     */
    public io.nacgw.nacapi.Health health() {
        return healthChecks.get();
    }

    /** This node's role among the gateways on its store (the sync leader, or a follower). */
    public io.nacgw.core.cluster.ClusterRole cluster() {
        return cluster.role();
    }

    /** Opens everything; on failure closes what was opened and rethrows. */
    public static Gateway start(NacgwConfig config, Clock clock) {
        return start(config, clock, null);
    }

    /**
     * Starts the gateway; {@code reloadSource} re-reads the configuration for {@code POST /reload} on the operations
     * port ({@code nacgw reload}); null: there is no file to re-read, and /reload says so.
     */
    public static Gateway start(NacgwConfig config, Clock clock, java.util.function.Supplier<NacgwConfig> reloadSource) {
        Gateway g = new Gateway(config, clock, reloadSource);
        log.info("nacgw ready: {} devices in memory, profiles {}", g.compliance.residentCount(), g.policy.names());
        return g;
    }

    /** Creates the data directory (and missing parents) owner-only (700), or fails naming it. */
    public static void createDataDir(Path dir) {
        try {
            io.nacgw.core.files.OwnerOnly.createDirectories(dir);
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

    /** The change-log follower of a shared (PostgreSQL) store; null for the embedded store. */
    public ChangeLogFollower changeLog() {
        return changeLog;
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
     * Applies what can change without a restart from a freshly loaded config: the policy profiles (every component
     * decides with the new ones from its next request), the RADIUS clients, the API users, the log levels and the
     * MDM sync settings ({@link LiveSync}: the next run uses them, a run in progress finishes with its own).
     * Everything is built and validated before anything changes: on error (an {@link IllegalArgumentException} naming the key) the running gateway
     * stays exactly as it was. Other changed keys are reported as needing a restart.
     */
    public synchronized ReloadResult reload(NacgwConfig fresh) {
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        boolean policyChanged = !currentPolicy.equals(fresh.policy());
        boolean clientsChanged = !currentClients.equals(fresh.radius().clients());
        boolean usersChanged = api != null && !currentApiUsers.equals(fresh.api().users());
        boolean loggingChanged = !currentLogging.equals(fresh.logging());
        for (String key : ConfigDiff.changedKeys(config, fresh)) {
            if (!liveKey(key) && !(api != null && (key.equals("api.users") || key.startsWith("ise.")))) {
                restart.add(key);
            }
        }
        if (radius != null && !profileUpstreams(currentPolicy).equals(profileUpstreams(fresh.policy()))) {
            restart.add("policy.profiles.*.authenticateWith");
        }
        // build and check everything first: a refused reload leaves the running gateway exactly as it was
        LiveSync.Plan syncPlan = sync.plan(fresh.sync());
        AccessPolicy next = policyChanged ? fresh.policy().toAccessPolicy() : policy;
        List<io.nacgw.radius.NasClient> clients = radius != null && (clientsChanged || policyChanged)
                ? fresh.radius().nasClients(next) : null;
        if (clients != null) {
            radius.checkUpstreams(clients); // a pool the running proxy lacks: refused before anything changes
        }
        List<io.nacgw.nacapi.auth.ApiUser> users = api != null && (policyChanged || usersChanged)
                // API users name existing profiles; a bad hash or role is refused here, before anything changes
                ? fresh.api().auth(next, io.nacgw.nacapi.auth.ClientIdentityResolver.NONE).users() : null;
        if (policyChanged) {
            applied.add("policy.profiles: " + profileChanges(currentPolicy, fresh.policy()));
            Map<String, io.nacgw.core.policy.Profile> before = new HashMap<>();
            for (String name : policy.names()) {
                before.put(name, policy.profile(name));
            }
            policy.update(next);
            if (reauthorizer != null) {
                reauthorizer.policyReloaded(before); // live sessions whose decision the new profiles change get CoA
            }
        }
        if (clients != null) {
            radius.reload(clients);
            metrics.bindDecisionTallies(radius.decisions()); // series for clients and profiles the reload added
            if (clientsChanged) {
                applied.add("radius.clients: " + clientChanges(currentClients, fresh.radius().clients()));
            }
        }
        if (users != null && usersChanged) {
            api.replaceUsers(users, next);
            applied.add("api.users: " + users.size() + " users (" + entryChanges(userMap(currentApiUsers),
                    userMap(fresh.api().users())) + "); cached verifications forgotten");
            currentApiUsers = fresh.api().users();
        }
        io.nacgw.nacapi.ise.IseSettings ise = api == null ? null
                : fresh.ise().settings(IseConfig.redirectFallback(next), BuildInfo.version());
        if (ise != null && !ise.equals(currentIse)) {
            api.updateIse(ise);
            applied.add("ise: " + iseChanges(currentIse, ise));
            currentIse = ise;
        }
        if (syncPlan != null) {
            applied.add(sync.apply(syncPlan));
            healthChecks = healthChecks(); // the staleness check follows the new interval
        }
        if (loggingChanged) {
            applied.add("logging.levels: " + logLevels.apply(fresh.logging().levels()));
            currentLogging = fresh.logging();
        }
        currentPolicy = fresh.policy();
        if (radius != null) {
            currentClients = fresh.radius().clients();
        }
        if (auditSink != null) {
            auditSink.requestReopen(); // logrotate: `postrotate nacgw reload` moves new lines to the new file
        }
        ReloadResult result = new ReloadResult(applied, restart);
        log.info("reload: {}{}", result.unchanged() ? "no changes" : applied.isEmpty() ? "nothing applied" : String.join("; ", applied),
                restart.isEmpty() ? "" : "; restart needed for " + restart);
        return result;
    }

    private static String iseChanges(io.nacgw.nacapi.ise.IseSettings a, io.nacgw.nacapi.ise.IseSettings b) {
        List<String> parts = new ArrayList<>();
        if (!a.redirectUrl().equals(b.redirectUrl())) {
            parts.add("redirectUrl " + b.redirectUrl());
        }
        if (a.queryMaxSize() != b.queryMaxSize()) {
            parts.add("queryMaxSize " + a.queryMaxSize() + " -> " + b.queryMaxSize());
        }
        if (!a.vendor().equals(b.vendor()) || !a.productName().equals(b.productName())
                || !a.productVersion().equals(b.productVersion())) {
            parts.add("mdminfo " + b.vendor() + " / " + b.productName() + " / " + b.productVersion());
        }
        if (a.busyWaitSeconds() != b.busyWaitSeconds()) {
            parts.add("busyWaitSeconds " + a.busyWaitSeconds() + " -> " + b.busyWaitSeconds());
        }
        return String.join(", ", parts);
    }

    /** Keys a reload applies live (besides api.users, when the API runs). */
    private static boolean liveKey(String key) {
        return key.equals("policy") || key.startsWith("policy.") || key.equals("radius.clients")
                || key.equals("sync") || key.startsWith("sync.")
                || key.equals("logging") || key.startsWith("logging.");
    }

    private static Map<String, io.nacgw.gateway.config.ApiConfig.UserConfig> userMap(
            List<io.nacgw.gateway.config.ApiConfig.UserConfig> users) {
        Map<String, io.nacgw.gateway.config.ApiConfig.UserConfig> m = new java.util.LinkedHashMap<>();
        users.forEach(u -> m.put(u.name(), u));
        return m;
    }

    /** Re-reads the config file given at start and applies it (SIGHUP); the outcome goes to the log. */
    public void reloadFromSource() {
        if (reloadSource == null) {
            log.warn("reload asked, but this gateway was started without a config file to re-read");
            return;
        }
        ReloadOperation.run(this, reloadSource);
    }

    /** Profile → upstream pool, as the running proxy routes logins (fixed until a restart). */
    private static Map<String, String> profileUpstreams(io.nacgw.gateway.config.PolicyConfig p) {
        Map<String, String> out = new HashMap<>();
        p.profiles().forEach((name, c) -> {
            if (c != null && c.authenticateWith() != null) {
                out.put(name, c.authenticateWith());
            }
        });
        return out;
    }

    private static String profileChanges(io.nacgw.gateway.config.PolicyConfig a, io.nacgw.gateway.config.PolicyConfig b) {
        String parts = entryChanges(a.profiles(), b.profiles());
        if (!a.defaultProfile().equals(b.defaultProfile())) {
            parts = (parts.isEmpty() ? "" : parts + ", ") + "default " + a.defaultProfile() + " -> " + b.defaultProfile();
        }
        return parts.isEmpty() ? "unchanged" : parts;
    }

    private static String clientChanges(Map<String, ?> a, Map<String, ?> b) {
        return b.size() + " clients (" + entryChanges(a, b) + ")";
    }

    /** "added x, removed y, changed z" between two named sections (profiles, clients). */
    private static String entryChanges(java.util.Map<String, ?> a, java.util.Map<String, ?> b) {
        List<String> parts = new ArrayList<>();
        names(parts, "added", b.keySet().stream().filter(n -> !a.containsKey(n)).toList());
        names(parts, "removed", a.keySet().stream().filter(n -> !b.containsKey(n)).toList());
        names(parts, "changed", b.keySet().stream().filter(n -> a.containsKey(n)
                && !java.util.Objects.equals(a.get(n), b.get(n))).toList());
        return String.join(", ", parts);
    }

    private static void names(List<String> parts, String what, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(what + " " + String.join(" ", names));
        }
    }

    /** The CoA sender, when RADIUS and {@code radius.coa.enabled}. */
    public java.util.Optional<CoaSender> coa() {
        return java.util.Optional.ofNullable(coa);
    }

    /** What turns device changes and operator actions into CoA, when the CoA sender runs. */
    public java.util.Optional<io.nacgw.radius.coa.CoaCoordinator> coaCoordinator() {
        return java.util.Optional.ofNullable(coordinator);
    }

    /** The CoA trigger (device changes, policy reloads, operator actions), when CoA is on. */
    public java.util.Optional<SessionReauthorizer> reauthorizer() {
        return java.util.Optional.ofNullable(reauthorizer);
    }

    /** The HTTPS API, when {@code api.enabled}. */
    public java.util.Optional<ApiServer> api() {
        return java.util.Optional.ofNullable(api);
    }

    /** The plain-HTTP metrics and health server, when {@code metrics.enabled}. */
    public java.util.Optional<MetricsServer> metricsServer() {
        return java.util.Optional.ofNullable(metricsServer);
    }

    /** The session table (Access-Accepts and accounting), read by the API, the CLI and CoA. */
    public SessionStore sessions() {
        return sessions;
    }

    /** The MDM sync connector, when {@code sync.enabled}. */
    public java.util.Optional<SyncService> sync() {
        return sync.service();
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
