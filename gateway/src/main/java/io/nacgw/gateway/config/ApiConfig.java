package io.nacgw.gateway.config;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.server.ApiSettings;
import io.nacgw.nacapi.auth.ApiUser;
import io.nacgw.nacapi.auth.AuthSettings;
import io.nacgw.nacapi.auth.ClientIdentityResolver;
import io.nacgw.nacapi.auth.PasswordHash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code api:} the HTTPS server for NAC appliances (Cisco ISE MDM API, JSON API, ingest). TLS comes from the data
 * directory's {@code pki/} (created with development certificates on first start when absent).
 *
 * @param clientCertificates {@code none}, {@code optional} (default: certificate or Basic) or {@code require}
 * @param partnerProfile     profile for partners authenticated by certificate (default: policy.defaultProfile)
 */
public record ApiConfig(Boolean enabled, String host, Integer port, Integer maxBodyBytes, Integer maxHeaderBytes,
                        Integer maxInitialLine, Duration requestTimeout, Duration idleTimeout, Integer maxDecisionBatch,
                        Integer bulkBatchSize, Integer workerThreads, Integer workerQueue, Integer ioThreads,
                        Boolean http2, String clientCertificates, String partnerProfile, List<UserConfig> users,
                        AuthConfig auth, Integer minBodyRate, Integer maxConnections,
                        Integer maxConnectionsPerAddress, Duration handshakeTimeout, Integer maxInFlightRequests,
                        ConsoleConfig console) {
    public ApiConfig {
        console = console == null ? new ConsoleConfig(null, null, null, null) : console;
        enabled = enabled == null || enabled;
        clientCertificates = clientCertificates == null ? "optional" : clientCertificates.toLowerCase(Locale.ROOT);
        if (!List.of("none", "optional", "require").contains(clientCertificates)) {
            throw new IllegalArgumentException("api.clientCertificates must be none, optional or require, got '"
                    + clientCertificates + "'");
        }
        users = users == null ? List.of() : users;
        auth = auth == null ? new AuthConfig(null, null, null, null) : auth;
    }

    static ApiConfig defaults() {
        return new ApiConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /**
     * {@code api.console}: the operator console at {@code /console/} on the HTTPS port.
     *
     * @param enabled         serve it (default true)
     * @param idleTimeout     a session ends after this long without a request (default 15m; 1m-24h)
     * @param maxSessions     sessions open at once, the least recently used ending first (default 100; 1-100000)
     * @param recentDecisions decisions kept in memory for the pages (default 10000; 1-1000000)
     */
    public record ConsoleConfig(Boolean enabled, Duration idleTimeout, Integer maxSessions, Integer recentDecisions) {
        public ConsoleConfig {
            enabled = enabled == null || enabled;
            idleTimeout = idleTimeout == null ? Duration.ofMinutes(15) : idleTimeout;
            maxSessions = maxSessions == null ? 100 : maxSessions;
            recentDecisions = recentDecisions == null ? io.nacgw.nacapi.console.DecisionFeed.DEFAULT_RECENT
                    : recentDecisions;
            if (idleTimeout.compareTo(Duration.ofMinutes(1)) < 0 || idleTimeout.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("api.console.idleTimeout must be 1m to 24h, got " + idleTimeout);
            }
            if (maxSessions < 1 || maxSessions > 100_000) {
                throw new IllegalArgumentException("api.console.maxSessions must be 1 to 100000, got " + maxSessions);
            }
            if (recentDecisions < 1 || recentDecisions > 1_000_000) {
                throw new IllegalArgumentException("api.console.recentDecisions must be 1 to 1000000, got "
                        + recentDecisions);
            }
        }
    }

    /** One HTTP Basic account; the password is stored as a PBKDF2 hash ({@code nacgw api hash-password}). */
    public record UserConfig(String name, String passwordHash, String role, String profile) {
        @Override
        public String toString() {
            return "UserConfig[" + name + ", " + role + "]";
        }
    }

    /** Failed-login limiting and the verified-credential cache. */
    public record AuthConfig(Integer maxFailuresPerWindow, Duration failureWindow, Duration verifiedCacheTtl,
                             Integer maxUnverifiedInFlight) {
    }

    public ApiSettings settings() {
        ApiSettings d = ApiSettings.defaults();
        return new ApiSettings(host != null ? host : d.host(), port != null ? port : d.port(),
                maxBodyBytes != null ? maxBodyBytes : d.maxBodyBytes(), maxHeaderBytes != null ? maxHeaderBytes : d.maxHeaderBytes(),
                maxInitialLine != null ? maxInitialLine : d.maxInitialLine(), requestTimeout != null ? requestTimeout : d.requestTimeout(),
                idleTimeout != null ? idleTimeout : d.idleTimeout(), maxDecisionBatch != null ? maxDecisionBatch : d.maxDecisionBatch(),
                bulkBatchSize != null ? bulkBatchSize : d.bulkBatchSize(), workerThreads != null ? workerThreads : d.workerThreads(),
                workerQueue != null ? workerQueue : d.workerQueue(), ioThreads != null ? ioThreads : d.ioThreads(),
                http2 != null ? http2 : d.http2(), minBodyRate != null ? minBodyRate : d.minBodyRate(),
                maxConnections != null ? maxConnections : d.maxConnections(),
                maxConnectionsPerAddress != null ? maxConnectionsPerAddress : d.maxConnectionsPerAddress(),
                handshakeTimeout != null ? handshakeTimeout : d.handshakeTimeout(),
                maxInFlightRequests != null ? maxInFlightRequests : d.maxInFlightRequests());
    }

    /** Accounts and certificate mapping, validated against the policy's profiles. */
    public AuthSettings auth(AccessPolicy policy, ClientIdentityResolver certificates) {
        List<ApiUser> list = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            UserConfig u = users.get(i);
            String key = "api.users[" + i + "]";
            try {
                if (u.passwordHash() == null) {
                    throw new IllegalArgumentException("passwordHash is required (make one with: nacgw api hash-password)");
                }
                ApiRole role = u.role() == null ? ApiRole.PARTNER : ApiRole.valueOf(u.role().toUpperCase(Locale.ROOT));
                if (u.profile() != null && !policy.has(u.profile())) {
                    throw new IllegalArgumentException("profile '" + u.profile() + "' is not in policy.profiles " + policy.names());
                }
                list.add(new ApiUser(u.name(), PasswordHash.parse(u.passwordHash()), role, u.profile()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
        if (partnerProfile != null && !policy.has(partnerProfile)) {
            throw new IllegalArgumentException("api.partnerProfile '" + partnerProfile + "' is not in policy.profiles");
        }
        AuthSettings d = AuthSettings.of(list, certificates);
        return new AuthSettings(list, certificates,
                auth.maxFailuresPerWindow() != null ? auth.maxFailuresPerWindow() : d.maxFailuresPerWindow(),
                auth.failureWindow() != null ? auth.failureWindow() : d.failureWindow(),
                auth.verifiedCacheTtl() != null ? auth.verifiedCacheTtl() : d.verifiedCacheTtl(),
                auth.maxUnverifiedInFlight() != null ? auth.maxUnverifiedInFlight() : d.maxUnverifiedInFlight());
    }
}
