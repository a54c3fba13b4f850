package io.nacgw.radius.server;

import io.nacgw.core.net.UdpSockets;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.radius.DecisionStats;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.RadiusStats;
import io.nacgw.radius.audit.AuditLog;
import io.nacgw.radius.audit.AuditRecord;
import io.nacgw.radius.codec.DatagramCodec;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.codec.ServicePort;
import io.nacgw.radius.codec.StructureValidator;
import io.nacgw.radius.eap.EapServer;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.eap.EapStats;
import io.nacgw.radius.proxy.ProxySettings;
import io.nacgw.radius.proxy.RadiusProxy;

import io.nacgw.radius.codec.DropSink;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the handlers of both ports share: the swappable NAS registry, counters, duplicate caches, the audit log,
 * the accounting writer and the Access-Accept recorder. Builds each port's {@link RadiusInitializer}. Transport-free, so tests run the whole
 * pipeline in an {@code EmbeddedChannel}.
 */
public final class ServerComponents implements AutoCloseable {
    private final AccessPolicy policy;
    private final AtomicReference<NasRegistry> registry;
    private final Counters counters;
    private final DecisionStats decisions = new DecisionStats();
    private final DebugTrace debug;
    private final AuditLog audit;
    private final SessionWriter writer;
    private final SessionWriter tlsPool;
    private final EapServer eap;
    private final AcceptRecorder acceptRecorder;
    private final SessionPurger purger;
    private final RadiusInitializer auth;
    private final RadiusInitializer acct;
    private final ProxySettings proxySettings;
    private final RadiusProxy proxy;
    private final AccessRequestHandler accessHandler;
    private final AccountingRequestHandler accountingHandler;
    private final ChannelHandler streamDuplicates;
    /** Whether the ports have more work than CPU; their sockets are watched once the server has bound them. */
    private final Saturation saturation;

    ServerComponents(RadiusSettings settings, NasRegistry clients, RadiusServices services) {
        this(settings, EapSettings.DISABLED, clients, services, null);
    }

    /** With EAP per {@code eap} (see {@link EapServer}); throws {@link IllegalArgumentException} for bad EAP files. */
    ServerComponents(RadiusSettings settings, EapSettings eap, NasRegistry clients, RadiusServices services) {
        this(settings, eap, clients, services, null);
    }

    ServerComponents(RadiusSettings settings, NasRegistry clients, RadiusServices services, Executor accounting) {
        this(settings, EapSettings.DISABLED, clients, services, accounting);
    }

    /**
     * As above, with the executor that runs session-table writes replaced (tests run them on the test thread, or
     * hold them to observe a request in progress); null for the bounded {@link SessionWriter}.
     */
    ServerComponents(RadiusSettings settings, EapSettings eapSettings, NasRegistry clients, RadiusServices services,
                     Executor accounting) {
        this(settings, eapSettings, ProxySettings.NONE, clients, services, accounting);
    }

    /**
     * With upstream pools per {@code upstreams} (the proxy's socket opens here); throws
     * {@link IllegalArgumentException} when a client or profile names a pool that does not exist.
     */
    public ServerComponents(RadiusSettings settings, EapSettings eap, ProxySettings upstreams, NasRegistry clients,
                            RadiusServices services) {
        this(settings, eap, upstreams, clients, services, null);
    }

    ServerComponents(RadiusSettings settings, EapSettings eapSettings, ProxySettings upstreams, NasRegistry clients,
                     RadiusServices services, Executor accounting) {
        this(settings, eapSettings, upstreams, clients, services, accounting, System::nanoTime);
    }

    /** As above, with the ticker admission measures the service rate with (tests drive its window). */
    ServerComponents(RadiusSettings settings, EapSettings eapSettings, ProxySettings upstreams, NasRegistry clients,
                     RadiusServices services, Executor accounting, LongSupplier ticker) {
        this.policy = services.policy();
        this.proxySettings = upstreams;
        checkProfiles(clients);
        checkUpstreams(clients);
        upstreams.requireWithin(settings.duplicateTtl());
        for (String profile : upstreams.profileUpstreams().keySet()) {
            if (!policy.has(profile)) {
                throw new IllegalArgumentException("radius.upstreams are named by a profile '" + profile
                        + "' that policy.profiles does not define");
            }
        }
        this.registry = new AtomicReference<>(clients);
        this.counters = new Counters(services.clock());
        this.debug = new DebugTrace(services.clock());
        registerTallies(clients);
        this.audit = new AuditLog(services.audit(), settings.auditQueue());
        this.writer = new SessionWriter(settings.accountingThreads(), settings.accountingQueue());
        Executor sessionExecutor = accounting != null ? accounting : writer;
        DatagramCodec datagram = new DatagramCodec();
        ClientFilter client = new ClientFilter(registry::get, counters, decisions, services.clock());
        AuthenticatorVerifier authenticator = new AuthenticatorVerifier(counters);
        RadiusCodec codec = new RadiusCodec(counters);
        ErrorHandler errors = new ErrorHandler(counters);
        this.tlsPool = new SessionWriter("nacgw-eap-tls", eapSettings.tlsThreads(), eapSettings.tlsQueue());
        this.eap = EapServer.create(eapSettings, services.clock(), tlsPool, AccessAuthorizer::macForms);
        this.saturation = new Saturation(() -> counters.drops(DropReason.OVERLOADED));
        this.acceptRecorder = new AcceptRecorder(services.sessions(), settings.sessionQueue(), services.clock(),
                AcceptRecorder.LINGER, saturation::look);
        this.purger = new SessionPurger(services.sessions(), settings.sessionRetention(), services.clock());
        this.proxy = upstreams.enabled() ? RadiusProxy.start(upstreams) : null;
        AccessAuthorizer authorizer = new AccessAuthorizer(policy, services.compliance(), services.clock(),
                settings.acceptLifetime(), eap, debug, proxy, upstreams.profileUpstreams());
        this.accessHandler = new AccessRequestHandler(authorizer, audit, acceptRecorder, counters, services.clock(),
                decisions, debug);
        this.accountingHandler = new AccountingRequestHandler(services.sessions(), sessionExecutor, services.compliance(),
                counters, services.clock(), this::copyAccounting, debug, acceptRecorder);
        // RadSec connections share one cache; a connection's address and port key its entries (RFC 6613 §2.6.1)
        this.streamDuplicates = new DuplicateFilter(new DuplicateCache(settings.duplicateCacheSize(),
                settings.duplicateTtl(), services.clock()), counters);
        this.auth = new RadiusInitializer(datagram, admission(settings, ticker), client,
                new StructureValidator(ServicePort.AUTH, counters),
                authenticator, new DuplicateFilter(new DuplicateCache(settings.duplicateCacheSize(),
                settings.duplicateTtl(), services.clock()), counters), codec,
                new StatusServerHandler(ServicePort.AUTH, counters),
                accessHandler, errors);
        this.acct = new RadiusInitializer(datagram, admission(settings, ticker), client,
                new StructureValidator(ServicePort.ACCT, counters),
                authenticator, new DuplicateFilter(new DuplicateCache(settings.duplicateCacheSize(),
                settings.duplicateTtl(), services.clock()), counters), codec,
                new StatusServerHandler(ServicePort.ACCT, counters),
                accountingHandler, errors);
    }

    /** One admission bucket per port: accounting bursts do not eat the authentication budget. */
    private Admission admission(RadiusSettings settings, LongSupplier ticker) {
        return new Admission(settings.maxRequestsPerSecond(), settings.maxQueueDelay().toNanos(),
                settings.receiveBufferBytes(), ticker, counters);
    }

    /** Every profile a client names must exist in the policy; the message names the offending key. */
    private void checkProfiles(NasRegistry clients) {
        Set<String> missing = new TreeSet<>();
        for (String p : clients.profileNames()) {
            if (!policy.has(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("radius.clients refer to profiles " + missing
                    + " that policy.profiles does not define (known: " + new TreeSet<>(policy.names()) + ")");
        }
    }

    /** Every pool a client names must exist in radius.upstreams. */
    public void checkUpstreams(NasRegistry clients) {
        for (io.nacgw.radius.NasClient c : clients.clients()) {
            if (c.authenticateWith() != null && !proxySettings.has(c.authenticateWith())) {
                throw new IllegalArgumentException("radius.clients." + c.name() + ".authenticateWith '"
                        + c.authenticateWith() + "' is not a pool in radius.upstreams " + new TreeSet<>(
                        proxySettings.pools().keySet()));
            }
        }
    }

    /**
     * Copies an acknowledged Accounting-Request to the pool that authenticates the client's logins (its own
     * {@code authenticateWith}, else its default profile's) when that pool has {@code copyAccounting}.
     */
    private void copyAccounting(io.nacgw.radius.codec.RadiusRequest r) {
        if (proxy == null) {
            return;
        }
        String pool = r.client().authenticateWith() != null ? r.client().authenticateWith()
                : proxySettings.profileUpstreams().get(r.client().defaultProfile());
        if (pool != null && proxySettings.pools().get(pool).copyAccounting()) {
            proxy.copyAccounting(r, pool);
        }
    }

    /** The upstream proxy, when radius.upstreams defines pools. */
    public java.util.Optional<RadiusProxy> proxy() {
        return java.util.Optional.ofNullable(proxy);
    }

    /** The pipeline of a port. */
    public RadiusInitializer initializer(ServicePort port) {
        return port == ServicePort.AUTH ? auth : acct;
    }

    /**
     * Appends the request path of a RadSec connection (after its TLS, framing and NAS lookup, which hand on
     * {@link io.nacgw.radius.codec.InboundPacket}s carrying the NAS client and the RadSec secret) to {@code p}:
     * <pre>
     *   structure      as on UDP; Access-Request, Accounting-Request and Status-Server on one stream
     *   authenticator  as on UDP, with the RadSec secret
     *   duplicates     RFC 5080 / RFC 6613 §2.6.1 (a connection's address is its key)
     *   codec, status, access, accounting   the same handlers, decisions and session table as UDP (a login whose
     *                  client or profile names a radius.upstreams pool is proxied, its reply written back on this stream)
     * </pre>
     * {@code drops} receives the drops of the structure and authenticator checks (the caller closes the
     * connection for them, RFC 6613 §2.6.4); everything else is counted as on UDP. The caller adds the last
     * (error) handler.
     */
    public void addStreamRequestPath(ChannelPipeline p, DropSink drops) {
        p.addLast("structure", new StructureValidator(ServicePort.STREAM, drops))
                .addLast("authenticator", new AuthenticatorVerifier(drops))
                .addLast("duplicates", streamDuplicates)
                .addLast("codec", new RadiusCodec(drops))
                .addLast("status", new StatusServerHandler(ServicePort.STREAM, counters))
                .addLast("access", accessHandler)
                .addLast("accounting", accountingHandler);
    }

    /** The registry requests are matched against now. */
    public NasRegistry registry() {
        return registry.get();
    }

    /**
     * Swaps the registry atomically after checking it: requests already past the client lookup finish with the
     * client (and secret) they were matched with; later datagrams see the new one.
     */
    public void reload(NasRegistry clients) {
        checkProfiles(clients);
        checkUpstreams(clients);
        registerTallies(clients);
        registry.set(clients);
    }

    /** Configured clients and profiles get their decision tallies before any request can name them. */
    private void registerTallies(NasRegistry clients) {
        decisions.register(clients.clients().stream().map(io.nacgw.radius.NasClient::name).toList(), policy.names());
    }

    /** Where CoA results tell the Accept recorder that an endpoint's session ended or is being re-authorised. */
    public SessionEndListener sessionEnds() {
        return acceptRecorder;
    }

    /** The live trace of {@code nacgw debug} (off unless a session runs). */
    public DebugTrace debug() {
        return debug;
    }

    /** Decisions by client, profile and reason; last request per client; EAP-TLS failures. */
    public DecisionStats decisions() {
        return decisions;
    }

    /** The counters (drop reasons are shared by both ports). */
    public Counters counters() {
        return counters;
    }

    /** Queues a line for the audit log (CoA records share the decisions' log). */
    public void audit(AuditRecord record) {
        audit.record(record);
    }

    /**
     * Where the bound ports' sockets are read (their drops and unread bytes): with {@code radius.maxRequestsPerSecond}'s
     * drops, what tells the Accept recorder to leave the CPU to answering ({@link Saturation}).
     */
    public void watchSockets(Supplier<UdpSockets.Totals> sockets) {
        saturation.watch(sockets);
    }

    public RadiusStats stats() {
        return counters.snapshot(audit.written(), audit.dropped(), acceptRecorder.recorded(), acceptRecorder.dropped(),
                acceptRecorder.writes(), acceptRecorder.written(), acceptRecorder.pausedNanos());
    }

    /** The EAP counters. */
    public EapStats eapStats() {
        return eap.stats();
    }

    /** Waits until every Access-Accept queued so far is in the session table (tests, orderly shutdown). */
    boolean awaitSessionsRecorded(java.time.Duration timeout) throws InterruptedException {
        return acceptRecorder.awaitIdle(timeout);
    }

    /** Finishes queued accounting writes, Accept records and audit lines; call after the channels are closed. */
    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        eap.close();
        tlsPool.close();
        purger.close();
        writer.close();
        acceptRecorder.close();
        audit.close();
    }
}
