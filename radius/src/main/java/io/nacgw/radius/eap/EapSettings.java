package io.nacgw.radius.eap;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * EAP settings (config keys {@code radius.eap.*}), validated here with messages naming the key.
 *
 * @param enabled               authenticate EAP; off: every EAP request gets Access-Reject with EAP-Failure
 * @param trustedCaFiles        PEM bundles of the CAs that issue device certificates (Intune SCEP/PKCS, Cloud PKI);
 *                              empty: EAP-TLS is not offered (EAP-MD5 MAB still works)
 * @param crlFiles              CRL files (PEM or DER), each signed by a trusted CA
 * @param crlUrls               http(s) URLs of CRLs, fetched off the request path every {@code crlRefresh}
 * @param crlRefresh            how often the CRL URLs are fetched again
 * @param fragmentSize          largest EAP-TLS fragment sent (bytes of TLS data per EAP packet), also bounded
 *                              by the request's Framed-MTU
 * @param minVersion            lowest TLS version accepted: {@code 1.2} or {@code 1.3}
 * @param serverCertificate     PEM certificate chain EAP-TLS presents (server first); null: the gateway's
 * @param serverKey             its PEM private key
 * @param resumption            TLS 1.2 session resumption (session ids, a bounded cache)
 * @param sessionCacheSize      TLS sessions remembered for resumption
 * @param sessionLifetime       how long a TLS session may be resumed (by session id or by ticket)
 * @param sessionTickets        TLS 1.2 session tickets (RFC 5077) for clients that offer them, when
 *                              {@code resumption} is on
 * @param ticketKeyFile         the root secret of the ticket keys (hex, owner-only file), shared by the gateways
 *                              that should resume each other's tickets; null: a random one per process
 * @param maxConversations      EAP conversations held at once (the oldest idle one is evicted beyond)
 * @param conversationTimeout   a conversation idle this long is forgotten
 * @param tlsThreads            threads doing TLS handshake work (key exchange, signatures, certificate checks)
 * @param tlsQueue              handshake steps waiting for a thread; beyond it a request is dropped and counted
 * @param deviceIdSources       where the device id is looked for after EAP-TLS, in order
 * @param ocsp                  OCSP checking of client certificates
 * @param tlsWarmup             how long EAP-TLS handshakes run in memory at start against a throw-away CA, so the
 *                              JIT has compiled the handshake before the first supplicant comes ({@link TlsWarmUp});
 *                              zero: none
 */
public record EapSettings(boolean enabled, List<Path> trustedCaFiles, List<Path> crlFiles, List<URI> crlUrls,
                          Duration crlRefresh, int fragmentSize, String minVersion,
                          Path serverCertificate, Path serverKey, boolean resumption, int sessionCacheSize,
                          Duration sessionLifetime, boolean sessionTickets, Path ticketKeyFile,
                          int maxConversations, Duration conversationTimeout,
                          int tlsThreads, int tlsQueue, List<DeviceIdSource> deviceIdSources, OcspSettings ocsp,
                          Duration tlsWarmup) {
    /** The longest start-up warm-up (declared before {@link #DISABLED}, which is validated against it). */
    public static final Duration MAX_WARMUP = Duration.ofSeconds(60);
    /** EAP off: every EAP request is rejected with EAP-Failure. */
    public static final EapSettings DISABLED = new EapSettings(false, List.of(), List.of(), List.of(),
            Duration.ofHours(1), 1000, "1.2", null, null, true, 10_000, Duration.ofHours(1), true, null, 100_000,
            Duration.ofSeconds(30), 2, 1000, DeviceIdSource.defaults(), OcspSettings.OFF, Duration.ZERO);


    public EapSettings {
        trustedCaFiles = List.copyOf(Objects.requireNonNull(trustedCaFiles, "radius.eap.tls.trustedCaFiles"));
        crlFiles = List.copyOf(Objects.requireNonNull(crlFiles, "radius.eap.tls.crlFiles"));
        crlUrls = List.copyOf(Objects.requireNonNull(crlUrls, "radius.eap.tls.crlUrls"));
        for (URI u : crlUrls) {
            String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!s.equals("http") && !s.equals("https") || u.getHost() == null) {
                throw new IllegalArgumentException("radius.eap.tls.crlUrls: '" + u + "' is not an http(s) URL");
            }
        }
        range("radius.eap.tls.crlRefresh", crlRefresh, Duration.ofMinutes(1), Duration.ofDays(7));
        if (fragmentSize < 200 || fragmentSize > 4000) {
            throw new IllegalArgumentException("radius.eap.tls.fragmentSize must be 200 to 4000 bytes, got " + fragmentSize);
        }
        if (!"1.2".equals(minVersion) && !"1.3".equals(minVersion)) {
            throw new IllegalArgumentException("radius.eap.tls.minVersion must be 1.2 or 1.3, got " + minVersion);
        }
        if ((serverCertificate == null) != (serverKey == null)) {
            throw new IllegalArgumentException("radius.eap.tls.serverCertificate and radius.eap.tls.serverKey go together");
        }
        if (sessionCacheSize < 1 || sessionCacheSize > 10_000_000) {
            throw new IllegalArgumentException("radius.eap.tls.sessionCacheSize must be 1 to 10000000, got " + sessionCacheSize);
        }
        range("radius.eap.tls.sessionLifetime", sessionLifetime, Duration.ofMinutes(1), Duration.ofDays(1));
        if (maxConversations < 1 || maxConversations > 10_000_000) {
            throw new IllegalArgumentException("radius.eap.maxConversations must be 1 to 10000000, got " + maxConversations);
        }
        range("radius.eap.conversationTimeout", conversationTimeout, Duration.ofSeconds(5), Duration.ofMinutes(10));
        Objects.requireNonNull(tlsWarmup, "radius.eap.tls.warmup");
        if (tlsWarmup.isNegative() || tlsWarmup.compareTo(MAX_WARMUP) > 0) {
            throw new IllegalArgumentException("radius.eap.tls.warmup must be 0s (none) to 60s, got " + tlsWarmup);
        }
        if (tlsThreads < 1 || tlsThreads > 256) {
            throw new IllegalArgumentException("radius.eap.tls.threads must be 1 to 256, got " + tlsThreads);
        }
        if (tlsQueue < 1 || tlsQueue > 1_000_000) {
            throw new IllegalArgumentException("radius.eap.tls.queue must be 1 to 1000000, got " + tlsQueue);
        }
        deviceIdSources = List.copyOf(Objects.requireNonNull(deviceIdSources, "radius.eap.tls.deviceIdSources"));
        if (deviceIdSources.isEmpty() || deviceIdSources.stream().distinct().count() != deviceIdSources.size()) {
            throw new IllegalArgumentException("radius.eap.tls.deviceIdSources must list at least one source, each once");
        }
        Objects.requireNonNull(ocsp, "radius.eap.tls.ocsp");
        if (enabled && !trustedCaFiles.isEmpty() && serverCertificate == null) {
            throw new IllegalArgumentException("radius.eap.tls.serverCertificate is required for EAP-TLS "
                    + "(the gateway fills in its own pki/server.pem when unset)");
        }
    }

    private static void range(String key, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, key);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", got " + d);
        }
    }

    /** True when EAP-TLS is offered: enabled with at least one trusted CA. */
    public boolean tlsEnabled() {
        return enabled && !trustedCaFiles.isEmpty();
    }

    /** A copy with EAP on, trusting {@code caFiles}, presenting {@code certificate}/{@code key}. */
    public EapSettings withTls(List<Path> caFiles, Path certificate, Path key) {
        return new EapSettings(true, caFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                certificate, key, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, tlsWarmup);
    }

    /** A copy with EAP on or off. */
    public EapSettings withEnabled(boolean on) {
        return new EapSettings(on, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, tlsWarmup);
    }

    /** A copy with other revocation sources. */
    public EapSettings withRevocation(List<Path> files, List<URI> urls) {
        return new EapSettings(enabled, trustedCaFiles, files, urls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, tlsWarmup);
    }

    /** A copy with another lowest TLS version and fragment size. */
    EapSettings withTlsLimits(String min, int fragment) {
        return new EapSettings(enabled, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragment, min,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, tlsWarmup);
    }

    /** A copy with other OCSP settings. */
    public EapSettings withOcsp(OcspSettings o) {
        return new EapSettings(enabled, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, o, tlsWarmup);
    }

    /** A copy with other conversation and worker bounds. */
    public EapSettings withBounds(int conversations, Duration timeout, int threads, int queue) {
        return new EapSettings(enabled, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                conversations, timeout, threads, queue, deviceIdSources, ocsp, tlsWarmup);
    }

    /** A copy with another start-up warm-up (zero: none). */
    public EapSettings withWarmup(Duration warmup) {
        return new EapSettings(enabled, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, sessionTickets, ticketKeyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, warmup);
    }

    /** A copy with TLS 1.2 session tickets on or off, their root secret in {@code keyFile} (null: random). */
    public EapSettings withTickets(boolean on, Path keyFile) {
        return new EapSettings(enabled, trustedCaFiles, crlFiles, crlUrls, crlRefresh, fragmentSize, minVersion,
                serverCertificate, serverKey, resumption, sessionCacheSize, sessionLifetime, on, keyFile,
                maxConversations, conversationTimeout, tlsThreads, tlsQueue, deviceIdSources, ocsp, tlsWarmup);
    }
}
