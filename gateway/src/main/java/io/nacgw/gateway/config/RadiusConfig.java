package io.nacgw.gateway.config;

import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.radius.CoaAction;
import io.nacgw.radius.IdentitySource;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasIdentity;
import io.nacgw.radius.ProfileRule;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.VendorIdentity;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.coa.CoaSettings;
import io.nacgw.radius.coa.SharedCoaSettings;
import io.nacgw.radius.radsec.RadSecSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code radius:} the RADIUS server and its NAS clients (see radius/README.md for every client key). Clients are
 * re-read from the config file on SIGHUP / {@code nacgw reload}; the server keys need a restart.
 */
public record RadiusConfig(Boolean enabled, String bindAddress, Integer authPort, Integer acctPort, Integer channels,
                           Boolean nativeTransport, Duration duplicateTtl, Integer duplicateCacheSize,
                           Integer accountingThreads, Integer accountingQueue, Integer receiveBufferBytes,
                           Duration acceptLifetime, Integer sessionQueue, Duration sessionRetention,
                           Integer maxRequestsPerSecond, Duration maxQueueDelay, CoaConfig coa, LinkedHashMap<String, ClientConfig> clients,
                           EapConfig eap, RadSecConfig radsec, LinkedHashMap<String, UpstreamsConfig> upstreams) {
    public RadiusConfig {
        enabled = enabled == null || enabled;
        coa = coa == null ? new CoaConfig(null, null, null, null, null, null, null) : coa;
        eap = eap == null ? EapConfig.defaults() : eap;
        radsec = radsec == null ? new RadSecConfig(null, null, null, null, null, null, null, null, null, null, null) : radsec;
        clients = clients == null ? new LinkedHashMap<>() : clients;
        upstreams = upstreams == null ? new LinkedHashMap<>() : upstreams;
    }

    static RadiusConfig defaults() {
        return new RadiusConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** {@code radius.coa:} Change of Authorization (RFC 5176) sent to NASes when a live session's decision changes. */
    public record CoaConfig(Boolean enabled, Integer maxAttempts, Duration initialTimeout, Integer maxOutstandingPerNas,
                            Integer ratePerNas, Integer queueSize, SharedCoaConfig shared) {
        public CoaConfig {
            shared = shared == null ? new SharedCoaConfig(null, null, null, null) : shared;
        }

        /** Validated settings; the message names the key. */
        public CoaSettings settings() {
            CoaSettings d = CoaSettings.DEFAULTS;
            return new CoaSettings(enabled != null ? enabled : d.enabled(),
                    maxAttempts != null ? maxAttempts : d.maxAttempts(),
                    initialTimeout != null ? initialTimeout : d.initialTimeout(),
                    maxOutstandingPerNas != null ? maxOutstandingPerNas : d.maxOutstandingPerNas(),
                    ratePerNas != null ? ratePerNas : d.ratePerNas(), queueSize != null ? queueSize : d.queueSize());
        }
    }

    /** {@code radius.coa.shared:} who sends a CoA when several nodes share a PostgreSQL store. */
    public record SharedCoaConfig(Duration heartbeatInterval, Duration nodeTimeout, Duration ownerGrace,
                                  Duration claimRetention) {
        /** Validated settings; the message names the key. */
        public SharedCoaSettings settings() {
            SharedCoaSettings d = SharedCoaSettings.DEFAULTS;
            return new SharedCoaSettings(heartbeatInterval != null ? heartbeatInterval : d.heartbeatInterval(),
                    nodeTimeout != null ? nodeTimeout : d.nodeTimeout(), ownerGrace != null ? ownerGrace : d.ownerGrace(),
                    claimRetention != null ? claimRetention : d.claimRetention());
        }
    }

    /**
     * {@code radius.radsec:} RADIUS over TLS (RFC 6614). NAS certificates come from nacgw's CA (role nas) or from
     * {@code trustedCaFiles}; revocation from {@code pki/crl.pem} and {@code crlFiles}. Needs a restart to change;
     * the TLS files are re-read when they change.
     */
    public record RadSecConfig(Boolean enabled, String bindAddress, Integer port, Duration idleTimeout,
                               Duration handshakeTimeout, Integer maxConnections, List<java.nio.file.Path> trustedCaFiles,
                               List<java.nio.file.Path> crlFiles, Integer maxConnectionsPerAddress,
                               Integer maxInFlightPerConnection, Integer maxInFlight) {
        public RadSecConfig {
            trustedCaFiles = trustedCaFiles == null ? List.of() : List.copyOf(trustedCaFiles);
            crlFiles = crlFiles == null ? List.of() : List.copyOf(crlFiles);
        }

        /** Validated settings; {@code radiusBindAddress} is the default bind address. */
        public RadSecSettings settings(String radiusBindAddress) {
            RadSecSettings d = RadSecSettings.DEFAULTS;
            String bind = bindAddress != null ? bindAddress : radiusBindAddress != null ? radiusBindAddress : d.bindAddress();
            return new RadSecSettings(enabled != null && enabled, bind, port != null ? port : d.port(),
                    idleTimeout != null ? idleTimeout : d.idleTimeout(),
                    handshakeTimeout != null ? handshakeTimeout : d.handshakeTimeout(),
                    maxConnections != null ? maxConnections : d.maxConnections(),
                    maxConnectionsPerAddress != null ? maxConnectionsPerAddress
                            : Math.min(maxConnections != null ? maxConnections : d.maxConnections(),
                            d.maxConnectionsPerAddress()),
                    maxInFlightPerConnection != null ? maxInFlightPerConnection : d.maxInFlightPerConnection(),
                    maxInFlight != null ? maxInFlight : d.maxInFlight());
        }
    }

    /** One NAS or NAS network. */
    public record ClientConfig(String address, List<String> secrets, Boolean requireMessageAuthenticator,
                               Boolean limitProxyState, String vendor, List<String> identitySources,
                               VendorIdentityConfig vendorIdentity, String profile, List<ProfileRuleConfig> profileRules,
                               Integer coaPort, String coaSecret, String coaAddress, String coaAction,
                               String nasIdentity, String certificateName, String authenticateWith) {
        @Override
        public String toString() {
            return "ClientConfig[" + address + ", secrets=***]";
        }
    }

    /** A vendor-specific attribute carrying the device id. */
    public record VendorIdentityConfig(Integer vendorId, Integer type, String kind) {
    }

    /** Profile by SSID and/or NAS-Port-Type. */
    public record ProfileRuleConfig(String ssid, Integer nasPortType, String profile) {
    }

    /** Server settings; audit queue size comes from {@code audit.queueSize}. */
    public RadiusSettings settings(int auditQueue) {
        RadiusSettings d = RadiusSettings.DEFAULTS;
        return new RadiusSettings(bindAddress != null ? bindAddress : d.bindAddress(),
                authPort != null ? authPort : d.authPort(), acctPort != null ? acctPort : d.acctPort(),
                channels != null ? channels : d.channels(), nativeTransport != null ? nativeTransport : d.nativeTransport(),
                duplicateTtl != null ? duplicateTtl : d.duplicateTtl(),
                duplicateCacheSize != null ? duplicateCacheSize : d.duplicateCacheSize(),
                accountingThreads != null ? accountingThreads : d.accountingThreads(),
                accountingQueue != null ? accountingQueue : d.accountingQueue(), auditQueue,
                receiveBufferBytes != null ? receiveBufferBytes : d.receiveBufferBytes(),
                acceptLifetime != null ? acceptLifetime : d.acceptLifetime(),
                sessionQueue != null ? sessionQueue : d.sessionQueue(),
                sessionRetention != null ? sessionRetention : d.sessionRetention(),
                maxRequestsPerSecond != null ? maxRequestsPerSecond : d.maxRequestsPerSecond(),
                maxQueueDelay != null ? maxQueueDelay : d.maxQueueDelay());
    }

    /** Builds and validates every client; profiles must exist in {@code policy}. */
    public List<NasClient> nasClients(AccessPolicy policy) {
        List<NasClient> out = new ArrayList<>();
        for (Map.Entry<String, ClientConfig> e : clients.entrySet()) {
            String key = "radius.clients." + e.getKey();
            ClientConfig c = e.getValue();
            if (c == null || c.address() == null) {
                throw new IllegalArgumentException(key + ".address is required");
            }
            if (c.secrets() == null || c.secrets().isEmpty() || c.secrets().size() > 2) {
                throw new IllegalArgumentException(key + ".secrets must list one secret, or two while rotating");
            }
            try {
                NasClient.Builder b = NasClient.builder(e.getKey(), c.address(), c.secrets().get(0));
                if (c.secrets().size() == 2) b.nextSecret(c.secrets().get(1));
                if (c.requireMessageAuthenticator() != null) b.requireMessageAuthenticator(c.requireMessageAuthenticator());
                if (c.limitProxyState() != null) b.limitProxyState(c.limitProxyState());
                if (c.vendor() != null) b.vendor(VendorProfile.fromName(c.vendor()));
                if (c.identitySources() != null) {
                    b.identitySources(c.identitySources().stream().map(IdentitySource::fromName).toList());
                }
                if (c.vendorIdentity() != null) {
                    VendorIdentityConfig v = c.vendorIdentity();
                    if (v.vendorId() == null || v.type() == null || v.kind() == null) {
                        throw new IllegalArgumentException("vendorIdentity needs vendorId, type and kind");
                    }
                    b.vendorIdentity(new VendorIdentity(v.vendorId(), v.type(), IdentifierKind.fromName(v.kind())));
                }
                String profile = c.profile() != null ? c.profile() : policy.defaultProfile().name();
                requireProfile(policy, key + ".profile", profile);
                b.profile(profile);
                if (c.profileRules() != null) {
                    List<ProfileRule> rules = new ArrayList<>();
                    for (ProfileRuleConfig r : c.profileRules()) {
                        requireProfile(policy, key + ".profileRules.profile", r.profile());
                        rules.add(new ProfileRule(r.ssid(), r.nasPortType(), r.profile()));
                    }
                    b.profileRules(rules);
                }
                if (c.coaPort() != null) b.coaPort(c.coaPort());
                if (c.coaSecret() != null) b.coaSecret(c.coaSecret());
                if (c.coaAddress() != null) b.coaAddress(NasClient.ipLiteral(key + ".coaAddress", c.coaAddress()));
                if (c.coaAction() != null) b.coaAction(CoaAction.fromName(c.coaAction()));
                if (c.nasIdentity() != null) b.nasIdentity(NasIdentity.fromName(c.nasIdentity()));
                if (c.certificateName() != null) b.certificateName(c.certificateName());
                if (c.authenticateWith() != null) {
                    if (!upstreams.containsKey(c.authenticateWith())) {
                        throw new IllegalArgumentException(key + ".authenticateWith '" + c.authenticateWith()
                                + "' is not a pool in radius.upstreams " + upstreams.keySet());
                    }
                    b.authenticateWith(c.authenticateWith());
                }
                out.add(b.build());
            } catch (IllegalArgumentException ex) {
                String m = ex.getMessage();
                throw new IllegalArgumentException(m != null && m.startsWith(key) ? m : key + ": " + m, ex);
            }
        }
        return out;
    }

    /**
     * The upstream pools ({@code radius.upstreams}) and the profiles of {@code policy} that authenticate with one;
     * checked against {@code radius.duplicateTtl}. Messages name the key.
     */
    public io.nacgw.radius.proxy.ProxySettings proxySettings(PolicyConfig policy) {
        return proxySettings(policy, null);
    }

    /** As {@link #proxySettings(PolicyConfig)}, with the upstreams' TLS files relative to {@code dataDir}. */
    public io.nacgw.radius.proxy.ProxySettings proxySettings(PolicyConfig policy, java.nio.file.Path dataDir) {
        io.nacgw.radius.proxy.ProxySettings s = UpstreamsConfig.settings(upstreams, policy, dataDir);
        s.requireWithin(duplicateTtl != null ? duplicateTtl : RadiusSettings.DEFAULTS.duplicateTtl());
        return s;
    }

    private static void requireProfile(AccessPolicy policy, String key, String profile) {
        if (profile == null || !policy.has(profile)) {
            throw new IllegalArgumentException(key + " '" + profile + "' is not a profile in policy.profiles "
                    + policy.names());
        }
    }
}
