package io.nacgw.gateway.config;

import io.nacgw.sync.ClientCertificate;
import io.nacgw.core.secret.Secret;
import io.nacgw.sync.SyncSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code sync:} the MDM inventory connector (Microsoft Graph {@code managedDevices} shape). Off unless
 * {@code enabled: true}. The client secret comes from {@code clientSecretFile} or the environment variable named by
 * {@code clientSecretEnv} (default NACGW_SYNC_CLIENT_SECRET); never from the config file itself.
 */
public record SyncConfig(Boolean enabled, URI tokenUrl, String clientId, Path clientSecretFile, String clientSecretEnv,
                         Path clientCertificateFile, Path clientCertificatePasswordFile, String clientCertificateAlias,
                         String scope, URI baseUrl, Integer pageSize, Duration fullInterval,
                         Duration incrementalInterval, Duration requestTimeout, Integer maxAttempts,
                         Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
                         Duration incrementalOverlap, Double retireGuardPercent, Integer retireGuardMinimum,
                         Integer retireConfirmConcurrency) {
    public SyncConfig {
        enabled = enabled != null && enabled;
        clientSecretEnv = clientSecretEnv == null ? "NACGW_SYNC_CLIENT_SECRET" : clientSecretEnv;
        if (enabled) {
            if (tokenUrl == null) {
                throw new IllegalArgumentException("sync.tokenUrl is required when sync.enabled is true");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("sync.clientId is required when sync.enabled is true");
            }
            if (clientSecretFile != null && clientCertificateFile != null) {
                throw new IllegalArgumentException("sync.clientSecretFile and sync.clientCertificateFile exclude each other");
            }
        }
    }

    static SyncConfig disabled() {
        return new SyncConfig(false, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    /** The connector settings; reads the secret or certificate now, failing with the key's name. */
    public SyncSettings settings() {
        SyncSettings.Builder b;
        try {
            if (clientCertificateFile != null) {
                if (clientCertificatePasswordFile == null) {
                    throw new IllegalArgumentException("sync.clientCertificatePasswordFile is required with sync.clientCertificateFile");
                }
                Secret pw = Secret.fromFile(clientCertificatePasswordFile);
                b = SyncSettings.builder(tokenUrl, clientId, ClientCertificate.fromPkcs12(clientCertificateFile, pw,
                        clientCertificateAlias));
            } else {
                Secret secret = clientSecretFile != null ? Secret.fromFile(clientSecretFile) : Secret.fromEnv(clientSecretEnv);
                b = SyncSettings.builder(tokenUrl, clientId, secret);
            }
        } catch (RuntimeException e) {
            throw new ConfigException("sync: " + e.getMessage(), e);
        }
        if (scope != null) b.scope(scope);
        if (baseUrl != null) b.baseUrl(baseUrl);
        if (pageSize != null) b.pageSize(pageSize);
        if (fullInterval != null) b.fullInterval(fullInterval);
        if (incrementalInterval != null) b.incrementalInterval(incrementalInterval);
        if (requestTimeout != null) b.requestTimeout(requestTimeout);
        if (maxAttempts != null) b.maxAttempts(maxAttempts);
        if (initialBackoff != null) b.initialBackoff(initialBackoff);
        if (maxBackoff != null) b.maxBackoff(maxBackoff);
        if (maxRetryAfter != null) b.maxRetryAfter(maxRetryAfter);
        if (incrementalOverlap != null) b.incrementalOverlap(incrementalOverlap);
        if (retireGuardPercent != null) b.retireGuardPercent(retireGuardPercent);
        if (retireGuardMinimum != null) b.retireGuardMinimum(retireGuardMinimum);
        if (retireConfirmConcurrency != null) b.retireConfirmConcurrency(retireConfirmConcurrency);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
