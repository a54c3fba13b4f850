package io.nacgw.gateway.config;

import io.nacgw.radius.eap.DeviceIdSource;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.eap.OcspSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code radius.eap:} 802.1X (EAP-TLS with MDM-issued device certificates, EAP-MD5 MAB). Relative file names are
 * resolved against the data directory; without {@code tls.serverCertificate} EAP-TLS presents the gateway's own
 * {@code pki/server.pem}. Needs a restart to change.
 */
public record EapConfig(Boolean enabled, Integer maxConversations, Duration conversationTimeout, TlsConfig tls) {
    public EapConfig {
        enabled = enabled != null && enabled;
        tls = tls == null ? new TlsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null) : tls;
    }

    /**
     * {@code radius.eap.tls.warmup} when not set: a fresh JVM's first thousand or so full handshakes cost several
     * times the warm CPU (docs/benchmarks.md, EAP-TLS notes); this many seconds of in-memory handshakes pay most of it
     * at start.
     */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);

    static EapConfig defaults() {
        return new EapConfig(null, null, null, null);
    }

    /** {@code radius.eap.tls:} EAP-TLS. */
    public record TlsConfig(List<Path> trustedCaFiles, List<Path> crlFiles, List<URI> crlUrls, Duration crlRefresh,
                            Integer fragmentSize, String minVersion, Path serverCertificate, Path serverKey,
                            Boolean resumption, Integer sessionCacheSize, Duration sessionLifetime,
                            Boolean sessionTickets, Path ticketKeyFile, Integer threads,
                            Integer queue, List<String> deviceIdSources, String ocsp, URI ocspUrl,
                            Duration ocspTimeout, Boolean ocspNonce, Integer ocspCacheSize, Duration warmup) {
    }

    /** The validated settings; {@code pki} is the gateway's certificate directory (for the default server files). */
    public EapSettings settings(Path dataDir, Path pkiServerCertificate, Path pkiServerKey) {
        EapSettings d = EapSettings.DISABLED;
        TlsConfig t = tls;
        if ((t.serverCertificate() == null) != (t.serverKey() == null)) {
            throw new IllegalArgumentException("radius.eap.tls.serverCertificate and radius.eap.tls.serverKey go together");
        }
        Path cert = t.serverCertificate() != null ? dataDir.resolve(t.serverCertificate()) : pkiServerCertificate;
        Path key = t.serverKey() != null ? dataDir.resolve(t.serverKey()) : pkiServerKey;
        return new EapSettings(enabled, resolve(dataDir, t.trustedCaFiles()), resolve(dataDir, t.crlFiles()),
                t.crlUrls() == null ? List.of() : t.crlUrls(),
                t.crlRefresh() != null ? t.crlRefresh() : d.crlRefresh(),
                t.fragmentSize() != null ? t.fragmentSize() : d.fragmentSize(),
                t.minVersion() != null ? t.minVersion() : d.minVersion(), cert, key,
                t.resumption() != null ? t.resumption() : d.resumption(),
                t.sessionCacheSize() != null ? t.sessionCacheSize() : d.sessionCacheSize(),
                t.sessionLifetime() != null ? t.sessionLifetime() : d.sessionLifetime(),
                t.sessionTickets() != null ? t.sessionTickets() : d.sessionTickets(),
                t.ticketKeyFile() != null ? dataDir.resolve(t.ticketKeyFile()) : d.ticketKeyFile(),
                maxConversations != null ? maxConversations : d.maxConversations(),
                conversationTimeout != null ? conversationTimeout : d.conversationTimeout(),
                t.threads() != null ? t.threads() : d.tlsThreads(), t.queue() != null ? t.queue() : d.tlsQueue(),
                t.deviceIdSources() == null ? d.deviceIdSources()
                        : t.deviceIdSources().stream().map(DeviceIdSource::parse).toList(),
                ocsp(t), t.warmup() != null ? t.warmup() : DEFAULT_WARMUP);
    }

    private static OcspSettings ocsp(TlsConfig t) {
        OcspSettings d = OcspSettings.OFF;
        return new OcspSettings(t.ocsp() == null ? d.mode() : OcspSettings.Mode.fromName(t.ocsp()), t.ocspUrl(),
                t.ocspTimeout() != null ? t.ocspTimeout() : d.timeout(),
                t.ocspNonce() != null ? t.ocspNonce() : d.nonce(),
                t.ocspCacheSize() != null ? t.ocspCacheSize() : d.cacheSize());
    }

    private static List<Path> resolve(Path dir, List<Path> files) {
        List<Path> out = new ArrayList<>();
        if (files != null) {
            for (Path p : files) {
                out.add(dir.resolve(p));
            }
        }
        return out;
    }
}
