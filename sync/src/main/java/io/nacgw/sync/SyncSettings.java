package io.nacgw.sync;

import io.nacgw.core.secret.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Configuration of the MDM sync connector; validated here, so a bad value stops start-up with a message naming its
 * key ({@code sync.*}). {@link #toString()} never prints the client secret.
 *
 * @param tokenUrl            {@code sync.tokenUrl}: OAuth2 token endpoint, e.g.
 *                            {@code https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token} (required)
 * @param clientId            {@code sync.clientId}: application (client) id (required)
 * @param clientSecret        {@code sync.clientSecret}: client secret, loaded by the caller from a file or env var;
 *                            null when a certificate is used
 * @param clientCertificate   {@code sync.clientCertificate}: certificate and key signing a client assertion (RFC 7523)
 *                            instead of a secret; null when a secret is used. Exactly one of the two is set.
 * @param scope               {@code sync.scope}: requested scope, default {@value #DEFAULT_SCOPE}
 * @param baseUrl             {@code sync.baseUrl}: inventory API root, default {@value #DEFAULT_BASE_URL}
 * @param pageSize            {@code sync.pageSize}: {@code $top} per page, 1 to 1000, default 1000
 * @param fullInterval        {@code sync.fullInterval}: time between full syncs, at least 1 min, default 6 h
 * @param incrementalInterval {@code sync.incrementalInterval}: time between incremental syncs, shorter than the full
 *                            interval; 0 disables them; default 10 min
 * @param requestTimeout      {@code sync.requestTimeout}: per HTTP attempt, the limit for connecting and getting the
 *                            response headers, and again for reading the whole body; 1 s to 10 min, default 30 s
 * @param maxAttempts         {@code sync.maxAttempts}: attempts per request before the run fails, 1 to 20, default 6
 * @param initialBackoff      {@code sync.initialBackoff}: first retry delay, doubled per attempt, default 1 s
 * @param maxBackoff          {@code sync.maxBackoff}: cap of the exponential delay, up to 1 h, default 60 s
 * @param maxRetryAfter       {@code sync.maxRetryAfter}: a server's {@code Retry-After} is clamped to this, up to
 *                            1 h, default 5 min
 * @param incrementalOverlap  {@code sync.incrementalOverlap}: an incremental sync asks for devices with
 *                            {@code lastSyncDateTime gt} (high-water mark minus this), so changes in the mark's own
 *                            second and late-arriving check-ins are not missed; 0 to 1 day, default 5 min
 * @param retireGuardPercent  {@code sync.retireGuardPercent}: a full sync retires nothing when more devices than this
 *                            share of the known fleet (or {@code retireGuardMinimum}, whichever is larger) are
 *                            missing from its listing; 0 to 100, default 2
 * @param retireGuardMinimum  {@code sync.retireGuardMinimum}: the guard's floor in devices, 0 to 10,000,000,
 *                            default 500
 * @param retireConfirmConcurrency {@code sync.retireConfirmConcurrency}: {@code GET managedDevices/{id}} requests
 *                            in flight when a full sync confirms that missing devices are really gone, 1 to 32,
 *                            default 4
 */
public record SyncSettings(URI tokenUrl, String clientId, Secret clientSecret, ClientCertificate clientCertificate,
                           String scope, URI baseUrl,
                           int pageSize, Duration fullInterval, Duration incrementalInterval, Duration requestTimeout,
                           int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
                           Duration incrementalOverlap, double retireGuardPercent, int retireGuardMinimum,
                           int retireConfirmConcurrency) {
    public static final String DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
    public static final String DEFAULT_BASE_URL = "https://graph.microsoft.com/v1.0";
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final Duration DEFAULT_FULL_INTERVAL = Duration.ofHours(6);
    public static final Duration DEFAULT_INCREMENTAL_INTERVAL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);
    public static final Duration DEFAULT_INCREMENTAL_OVERLAP = Duration.ofMinutes(5);
    public static final double DEFAULT_RETIRE_GUARD_PERCENT = 2.0;
    public static final int DEFAULT_RETIRE_GUARD_MINIMUM = 500;
    public static final int DEFAULT_RETIRE_CONFIRM_CONCURRENCY = 4;

    public SyncSettings {
        tokenUrl = endpoint("sync.tokenUrl", tokenUrl);
        baseUrl = endpoint("sync.baseUrl", baseUrl);
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            baseUrl = URI.create(base.substring(0, base.length() - 1));
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("sync.baseUrl must not carry a query or fragment, got " + baseUrl);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("sync.clientId is required");
        }
        clientId = clientId.strip();
        if ((clientSecret == null) == (clientCertificate == null)) {
            throw new IllegalArgumentException(clientSecret == null
                    ? "sync.clientSecret (from a file or an environment variable) or sync.clientCertificate is required"
                    : "set only one of sync.clientSecret and sync.clientCertificate");
        }
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("sync.scope must not be empty");
        }
        scope = scope.strip();
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("sync.pageSize must be 1 to 1000, got " + pageSize);
        }
        between("sync.fullInterval", fullInterval, Duration.ofMinutes(1), Duration.ofDays(7));
        Objects.requireNonNull(incrementalInterval, "sync.incrementalInterval");
        if (!incrementalInterval.isZero()) {
            between("sync.incrementalInterval", incrementalInterval, Duration.ofSeconds(1), Duration.ofDays(1));
            if (incrementalInterval.compareTo(fullInterval) >= 0) {
                throw new IllegalArgumentException("sync.incrementalInterval (" + incrementalInterval
                        + ") must be shorter than sync.fullInterval (" + fullInterval + "), or 0 to disable it");
            }
        }
        between("sync.requestTimeout", requestTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("sync.maxAttempts must be 1 to 20, got " + maxAttempts);
        }
        between("sync.initialBackoff", initialBackoff, Duration.ofMillis(1), Duration.ofHours(1));
        between("sync.maxBackoff", maxBackoff, Duration.ofMillis(1), Duration.ofHours(1));
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("sync.initialBackoff (" + initialBackoff
                    + ") must not exceed sync.maxBackoff (" + maxBackoff + ")");
        }
        between("sync.maxRetryAfter", maxRetryAfter, Duration.ZERO, Duration.ofHours(1));
        between("sync.incrementalOverlap", incrementalOverlap, Duration.ZERO, Duration.ofDays(1));
        if (!(retireGuardPercent >= 0 && retireGuardPercent <= 100)) {
            throw new IllegalArgumentException("sync.retireGuardPercent must be 0 to 100, got " + retireGuardPercent);
        }
        if (retireGuardMinimum < 0 || retireGuardMinimum > 10_000_000) {
            throw new IllegalArgumentException("sync.retireGuardMinimum must be 0 to 10000000, got "
                    + retireGuardMinimum);
        }
        if (retireConfirmConcurrency < 1 || retireConfirmConcurrency > 32) {
            throw new IllegalArgumentException("sync.retireConfirmConcurrency must be 1 to 32, got "
                    + retireConfirmConcurrency);
        }
    }

    /**
     * The most devices a full sync may retire: {@code retireGuardPercent} of {@code fleet} (the devices not yet
     * retired), but at least {@code retireGuardMinimum}.
     */
    long retireThreshold(long fleet) {
        return Math.max(retireGuardMinimum, (long) Math.floor(fleet * retireGuardPercent / 100.0));
    }

    private static URI endpoint(String key, URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(key + " must be an absolute https URL, got '" + uri + "'");
        }
        // the client secret and the bearer token travel on these URLs: plain HTTP only to this machine (tests)
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(key + " must use https (http is allowed only for localhost), got '"
                    + uri + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(key + " must not carry credentials in the URL");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }

    private static void between(String key, Duration d, Duration min, Duration max) {
        if (d == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", got " + d);
        }
    }

    /** Settings with every default, for the three values that have none; the client authenticates with a secret. */
    public static Builder builder(URI tokenUrl, String clientId, Secret clientSecret) {
        return new Builder(tokenUrl, clientId, clientSecret, null);
    }

    /** As {@link #builder(URI, String, Secret)}, the client authenticating with a certificate-signed assertion. */
    public static Builder builder(URI tokenUrl, String clientId, ClientCertificate clientCertificate) {
        return new Builder(tokenUrl, clientId, null, clientCertificate);
    }

    /** The full-sync request's first page: {@code $select} of exactly the mapped fields and {@code $top}. */
    URI managedDevicesUrl(String filter) {
        StringBuilder sb = new StringBuilder(baseUrl.toString()).append("/deviceManagement/managedDevices?$select=")
                .append(GraphField.SELECT).append("&$top=").append(pageSize);
        if (filter != null) {
            sb.append("&$filter=").append(filter.replace(" ", "%20"));
        }
        return URI.create(sb.toString());
    }

    /** One device: {@code GET managedDevices/{id}} with the same {@code $select}. */
    URI managedDeviceUrl(String deviceId) {
        return URI.create(baseUrl + "/deviceManagement/managedDevices/" + deviceId + "?$select=" + GraphField.SELECT);
    }

    /**
     * Whether {@code o} configures the same connector: every setting equal, and the same credential by content (a
     * secret compared in constant time, a certificate by thumbprint) — a reload re-reads the credential files, so a
     * rotated secret is a change even when the config text is not.
     */
    public boolean sameAs(SyncSettings o) {
        boolean credential = clientSecret != null
                ? clientSecret.equals(o.clientSecret)
                : o.clientCertificate != null && clientCertificate.thumbprint().equals(o.clientCertificate.thumbprint());
        return credential && tokenUrl.equals(o.tokenUrl) && clientId.equals(o.clientId) && scope.equals(o.scope)
                && baseUrl.equals(o.baseUrl) && pageSize == o.pageSize && fullInterval.equals(o.fullInterval)
                && incrementalInterval.equals(o.incrementalInterval) && requestTimeout.equals(o.requestTimeout)
                && maxAttempts == o.maxAttempts && initialBackoff.equals(o.initialBackoff)
                && maxBackoff.equals(o.maxBackoff) && maxRetryAfter.equals(o.maxRetryAfter)
                && incrementalOverlap.equals(o.incrementalOverlap)
                && Double.compare(retireGuardPercent, o.retireGuardPercent) == 0
                && retireGuardMinimum == o.retireGuardMinimum && retireConfirmConcurrency == o.retireConfirmConcurrency;
    }

    @Override
    public String toString() {
        return "SyncSettings[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", "
                + (clientSecret != null ? "clientSecret=***" : "clientCertificate=" + clientCertificate) + ", scope=" + scope
                + ", baseUrl=" + baseUrl + ", pageSize=" + pageSize + ", fullInterval=" + fullInterval
                + ", incrementalInterval=" + incrementalInterval + ", requestTimeout=" + requestTimeout
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", maxRetryAfter=" + maxRetryAfter + ", incrementalOverlap=" + incrementalOverlap
                + ", retireGuardPercent=" + retireGuardPercent + ", retireGuardMinimum=" + retireGuardMinimum
                + ", retireConfirmConcurrency=" + retireConfirmConcurrency + "]";
    }

    /** Mutable builder preloaded with the defaults. */
    public static final class Builder {
        private final URI tokenUrl;
        private final String clientId;
        private final Secret clientSecret;
        private final ClientCertificate clientCertificate;
        private String scope = DEFAULT_SCOPE;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private int pageSize = DEFAULT_PAGE_SIZE;
        private Duration fullInterval = DEFAULT_FULL_INTERVAL;
        private Duration incrementalInterval = DEFAULT_INCREMENTAL_INTERVAL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration incrementalOverlap = DEFAULT_INCREMENTAL_OVERLAP;
        private double retireGuardPercent = DEFAULT_RETIRE_GUARD_PERCENT;
        private int retireGuardMinimum = DEFAULT_RETIRE_GUARD_MINIMUM;
        private int retireConfirmConcurrency = DEFAULT_RETIRE_CONFIRM_CONCURRENCY;

        private Builder(URI tokenUrl, String clientId, Secret clientSecret, ClientCertificate clientCertificate) {
            this.tokenUrl = tokenUrl;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.clientCertificate = clientCertificate;
        }

        public Builder scope(String v) { this.scope = v; return this; }
        public Builder baseUrl(URI v) { this.baseUrl = v; return this; }
        public Builder pageSize(int v) { this.pageSize = v; return this; }
        public Builder fullInterval(Duration v) { this.fullInterval = v; return this; }
        public Builder incrementalInterval(Duration v) { this.incrementalInterval = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        public Builder initialBackoff(Duration v) { this.initialBackoff = v; return this; }
        public Builder maxBackoff(Duration v) { this.maxBackoff = v; return this; }
        public Builder maxRetryAfter(Duration v) { this.maxRetryAfter = v; return this; }
        public Builder incrementalOverlap(Duration v) { this.incrementalOverlap = v; return this; }
        public Builder retireGuardPercent(double v) { this.retireGuardPercent = v; return this; }
        public Builder retireGuardMinimum(int v) { this.retireGuardMinimum = v; return this; }
        public Builder retireConfirmConcurrency(int v) { this.retireConfirmConcurrency = v; return this; }

        public SyncSettings build() {
            return new SyncSettings(tokenUrl, clientId, clientSecret, clientCertificate, scope, baseUrl, pageSize, fullInterval,
                    incrementalInterval, requestTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter,
                    incrementalOverlap, retireGuardPercent, retireGuardMinimum, retireConfirmConcurrency);
        }
    }
}
