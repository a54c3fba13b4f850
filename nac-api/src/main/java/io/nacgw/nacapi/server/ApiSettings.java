package io.nacgw.nacapi.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTPS server's settings. Defaults in {@link #defaults()}.
 *
 * @param host              address to bind (default {@code ::}: IPv6 and IPv4-mapped IPv4, IPv4 only where the kernel
 *                          has no IPv6)
 * @param port              TCP port (default 8443; 0 picks a free one)
 * @param maxBodyBytes      largest aggregated request body, bytes (default 1 MiB; the bulk stream is exempt)
 * @param maxHeaderBytes    largest header block, bytes (default 16 KiB; beyond: 431)
 * @param maxInitialLine    longest request line, bytes (default 8 KiB; beyond: 414)
 * @param requestTimeout    a request must arrive whole within this from its first byte (default 10 s)
 * @param idleTimeout       a connection with no traffic either way is closed after this (default 60 s)
 * @param maxDecisionBatch  most identifiers in one POST /api/v1/decisions (default 100)
 * @param bulkBatchSize     records per commit in the bulk NDJSON ingest (default 1000)
 * @param workerThreads     threads for store queries, listings and ingest commits (default 4)
 * @param workerQueue       tasks waiting for a worker before requests are shed with 503 (default 256)
 * @param ioThreads         event-loop threads (default 0: Netty's default, 2 x cores)
 * @param http2             offer HTTP/2 by ALPN beside HTTP/1.1 (default true)
 * @param minBodyRate       slowest a streaming (bulk) body may arrive, bytes per second averaged over each
 *                          {@code requestTimeout} window (default 1024)
 * @param maxConnections    open HTTPS connections in total; beyond it new ones are closed at once (default 10000)
 * @param maxConnectionsPerAddress open connections from one source address (default 256)
 * @param handshakeTimeout  a TLS handshake must complete within this (default 5 s)
 * @param maxInFlightRequests requests being answered at once over all connections; beyond it a request is answered
 *                          at once with 503 and {@code Retry-After: 1} and counted as shed (default 1024)
 */
public record ApiSettings(String host, int port, int maxBodyBytes, int maxHeaderBytes,
                          int maxInitialLine, Duration requestTimeout, Duration idleTimeout, int maxDecisionBatch,
                          int bulkBatchSize, int workerThreads, int workerQueue, int ioThreads,
                          boolean http2, int minBodyRate, int maxConnections, int maxConnectionsPerAddress,
                          Duration handshakeTimeout, int maxInFlightRequests) {
    public ApiSettings {
        Objects.requireNonNull(host, "api.host");
        check("api.port", port, 0, 65535);
        check("api.maxBodyBytes", maxBodyBytes, 1024, 64 * 1024 * 1024);
        check("api.maxHeaderBytes", maxHeaderBytes, 1024, 1024 * 1024);
        check("api.maxInitialLine", maxInitialLine, 256, 64 * 1024);
        positive("api.requestTimeout", requestTimeout);
        positive("api.idleTimeout", idleTimeout);
        check("api.maxDecisionBatch", maxDecisionBatch, 1, 10_000);
        check("api.bulkBatchSize", bulkBatchSize, 1, 100_000);
        check("api.workerThreads", workerThreads, 1, 256);
        check("api.workerQueue", workerQueue, 1, 1_000_000);
        check("api.ioThreads", ioThreads, 0, 1024);
        check("api.minBodyRate", minBodyRate, 0, 1 << 30);
        check("api.maxConnections", maxConnections, 1, 1_000_000);
        check("api.maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 1_000_000);
        if (maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("api.maxConnectionsPerAddress (" + maxConnectionsPerAddress
                    + ") must not exceed api.maxConnections (" + maxConnections + ")");
        }
        positive("api.handshakeTimeout", handshakeTimeout);
        check("api.maxInFlightRequests", maxInFlightRequests, 1, 1_000_000);
    }

    private static void check(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be " + min + " to " + max + ", got " + v);
        }
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
        }
    }

    public static ApiSettings defaults() {
        return new ApiSettings("::", 8443, 1024 * 1024, 16 * 1024, 8 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 1000, 4, 256, 0, true,
                1024, 10_000, 256, Duration.ofSeconds(5), 1024);
    }

    public ApiSettings withAddress(String host, int port) {
        return new ApiSettings(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLine, requestTimeout,
                idleTimeout, maxDecisionBatch, bulkBatchSize, workerThreads, workerQueue, ioThreads, http2,
                minBodyRate, maxConnections, maxConnectionsPerAddress, handshakeTimeout, maxInFlightRequests);
    }

    public ApiSettings withTimeouts(Duration request, Duration idle) {
        return new ApiSettings(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLine, request, idle,
                maxDecisionBatch, bulkBatchSize, workerThreads, workerQueue, ioThreads, http2,
                minBodyRate, maxConnections, maxConnectionsPerAddress, handshakeTimeout, maxInFlightRequests);
    }

    public ApiSettings withHttp2(boolean on) {
        return new ApiSettings(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLine, requestTimeout, idleTimeout,
                maxDecisionBatch, bulkBatchSize, workerThreads, workerQueue, ioThreads, on,
                minBodyRate, maxConnections, maxConnectionsPerAddress, handshakeTimeout, maxInFlightRequests);
    }

    /** The abuse limits: streaming body rate, connection caps, TLS handshake timeout. */
    public ApiSettings withAbuseLimits(int minRate, int maxConns, int maxPerAddress, Duration handshake) {
        return new ApiSettings(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLine, requestTimeout, idleTimeout,
                maxDecisionBatch, bulkBatchSize, workerThreads, workerQueue, ioThreads, http2, minRate, maxConns,
                maxPerAddress, handshake, maxInFlightRequests);
    }

    /** A copy with another cap on requests answered at once. */
    public ApiSettings withMaxInFlightRequests(int max) {
        return new ApiSettings(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLine, requestTimeout, idleTimeout,
                maxDecisionBatch, bulkBatchSize, workerThreads, workerQueue, ioThreads, http2, minBodyRate,
                maxConnections, maxConnectionsPerAddress, handshakeTimeout, max);
    }

    public ApiSettings withLimits(int maxBody, int maxDecisions, int bulkBatch) {
        return new ApiSettings(host, port, maxBody, maxHeaderBytes, maxInitialLine, requestTimeout,
                idleTimeout, maxDecisions, bulkBatch, workerThreads, workerQueue, ioThreads, http2,
                minBodyRate, maxConnections, maxConnectionsPerAddress, handshakeTimeout, maxInFlightRequests);
    }
}
