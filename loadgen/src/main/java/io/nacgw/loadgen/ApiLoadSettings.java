package io.nacgw.loadgen;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * One HTTPS API load run. {@code connections} TLS connections each carry one request at a time (HTTP/1.1, no
 * pipelining). With {@code rate} 0 it is a closed loop (outstanding = connections); with a rate, requests are due on a
 * fixed schedule and latency counts from the intended send time (waiting for a free connection included).
 * Without keep-alive every request opens its own connection and its latency includes connect and TLS handshake.
 *
 * @param host        server address (an IP or a name)
 * @param port        server port
 * @param caFile      PEM trust anchors for the server certificate, or null with {@code insecure}
 * @param insecure    trust any server certificate (tests, self-signed benchmarks)
 * @param clientCert  PEM client certificate chain for mutual TLS, or null
 * @param clientKey   PEM (PKCS#8) private key of {@code clientCert}, or null
 * @param basicAuth   "user:password" for HTTP Basic, or null; {@link #toString()} never prints it
 * @param statusOnly  check only for HTTP 200, not the verdict: for baseline servers (nginx with a static answer)
 */
public record ApiLoadSettings(String host, int port, ApiMode mode, int connections, double rate, Duration duration,
                              long requests, Duration warmup, boolean keepAlive, Path caFile, boolean insecure,
                              Path clientCert, Path clientKey, String basicAuth, Duration timeout, double unknownShare,
                              long seed, boolean nativeTransport, long serverPid,
                              boolean statusOnly) {
    public ApiLoadSettings {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
        Objects.requireNonNull(mode, "mode");
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("--connections must be 1-10000, got " + connections);
        }
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        boolean hasDuration = duration != null && !duration.isZero();
        if (hasDuration == (requests > 0)) {
            throw new IllegalArgumentException("give exactly one of --duration and --requests");
        }
        if (hasDuration && duration.isNegative() || requests < 0) {
            throw new IllegalArgumentException("--duration and --requests must be positive");
        }
        warmup = warmup == null ? Duration.ZERO : warmup;
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (caFile == null && !insecure) {
            throw new IllegalArgumentException("give --ca FILE (the server's CA) or --insecure");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("--client-cert and --client-key go together");
        }
        if (basicAuth != null && basicAuth.indexOf(':') < 1) {
            throw new IllegalArgumentException("the Basic credentials file must hold user:password");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 ms");
        }
        if (!(unknownShare >= 0 && unknownShare <= 1)) {
            throw new IllegalArgumentException("--unknown must be between 0 and 1, got " + unknownShare);
        }
        if (serverPid < 0) {
            throw new IllegalArgumentException("--server-pid must be a process id");
        }
    }

    /** The Authorization header value, or null. */
    String authorization() {
        return basicAuth == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8));
    }

    public boolean closedLoop() {
        return rate == 0;
    }

    @Override
    public String toString() {
        return "ApiLoadSettings[target=https://" + host + ":" + port + ", mode=" + mode.wireName() + ", connections="
                + connections + ", " + (closedLoop() ? "closed loop" : "rate=" + rate) + ", "
                + (requests > 0 ? "requests=" + requests : "duration=" + duration) + ", warmup=" + warmup
                + ", keepAlive=" + keepAlive + ", clientCert=" + (clientCert != null) + ", basic=" + (basicAuth != null ? "***" : "none")
                + ", timeout=" + timeout + ", unknown=" + unknownShare + (statusOnly ? ", statusOnly" : "") + "]";
    }
}
