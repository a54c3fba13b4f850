package io.nacgw.radius;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport and capacity settings of the RADIUS server (config keys {@code radius.*}).
 *
 * @param bindAddress         address to bind both ports: {@code ::} (IPv6 and IPv4-mapped IPv4; IPv4 only where the
 *                            kernel has no IPv6), {@code 0.0.0.0}, or one interface's address
 * @param authPort            authentication port (1812; 0 picks a free port, for tests)
 * @param acctPort            accounting port (1813; 0 picks a free port)
 * @param channels            datagram channels per port with native epoll and SO_REUSEPORT (0: one per core);
 *                            NIO always uses one
 * @param nativeTransport     use epoll when available
 * @param duplicateTtl        how long a request is remembered for RFC 5080 duplicate detection (1-60 s)
 * @param duplicateCacheSize  most requests remembered per port
 * @param accountingThreads   threads writing the session table
 * @param accountingQueue     accounting writes waiting; beyond it requests are dropped (the NAS retries)
 * @param auditQueue          audit events waiting; beyond it events are dropped and counted
 * @param receiveBufferBytes  SO_RCVBUF per channel (absorbs bursts)
 * @param acceptLifetime      how long an Access-Accept not followed by accounting counts as an active session;
 *                            {@link Duration#ZERO}: the verdict's Session-Timeout (8 h when it sets none)
 * @param sessionQueue        Access-Accepts waiting to be recorded in the session table; beyond it they are
 *                            dropped and counted (the Accept itself is never delayed)
 * @param sessionRetention    how long ended sessions stay in the table (for {@code nacgw sessions list}) before the
 *                            hourly purge deletes them
 * @param maxRequestsPerSecond datagrams admitted per second on each port, checked before any parsing or
 *                            cryptography (0: no limit); beyond it the newest are dropped and counted as
 *                            {@code overloaded}, so an overload costs a copy and a counter, not a decode and an HMAC
 * @param maxQueueDelay       how long a full receive queue may take to drain: each channel's SO_RCVBUF is sized to
 *                            hold this long's worth at the rate the channel is measured to serve (at most
 *                            {@code receiveBufferBytes}), so the kernel drops the newest of an overload and what is
 *                            answered is answered in time whatever the machine's capacity ({@link Duration#ZERO}:
 *                            the buffer stays at {@code receiveBufferBytes}; default 100 ms, well inside the 1-5 s
 *                            after which a NAS retransmits)
 */
public record RadiusSettings(String bindAddress, int authPort, int acctPort, int channels, boolean nativeTransport,
                             Duration duplicateTtl, int duplicateCacheSize, int accountingThreads, int accountingQueue,
                             int auditQueue, int receiveBufferBytes, Duration acceptLifetime, int sessionQueue,
                             Duration sessionRetention, int maxRequestsPerSecond, Duration maxQueueDelay) {
    /**
     * {@code ::} (dual stack; 0.0.0.0 where the kernel has no IPv6):1812/1813, epoll with one channel per core, 10 s
     * duplicate cache of 100,000, 2 accounting threads, Accept sessions living for the Session-Timeout.
     */
    public static final RadiusSettings DEFAULTS = new RadiusSettings("::", 1812, 1813, 0, true,
            Duration.ofSeconds(10), 100_000, 2, 10_000, 65_536, 4 << 20, Duration.ZERO, 10_000,
            Duration.ofDays(7), 0, Duration.ofMillis(100));

    public RadiusSettings {
        Objects.requireNonNull(bindAddress, "radius.bindAddress");
        port("radius.authPort", authPort);
        port("radius.acctPort", acctPort);
        if (authPort != 0 && authPort == acctPort) {
            throw new IllegalArgumentException("radius.authPort and radius.acctPort are both " + authPort);
        }
        if (channels < 0 || channels > 256) {
            throw new IllegalArgumentException("radius.channels must be 0 (one per core) to 256, got " + channels);
        }
        Objects.requireNonNull(duplicateTtl, "radius.duplicateTtl");
        if (duplicateTtl.compareTo(Duration.ofSeconds(1)) < 0 || duplicateTtl.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("radius.duplicateTtl must be 1s to 60s, got " + duplicateTtl);
        }
        if (duplicateCacheSize < 1) {
            throw new IllegalArgumentException("radius.duplicateCacheSize must be at least 1");
        }
        if (accountingThreads < 1 || accountingThreads > 64) {
            throw new IllegalArgumentException("radius.accountingThreads must be 1 to 64, got " + accountingThreads);
        }
        if (accountingQueue < 1) {
            throw new IllegalArgumentException("radius.accountingQueue must be at least 1");
        }
        if (auditQueue < 1) {
            throw new IllegalArgumentException("radius.auditQueue must be at least 1");
        }
        if (receiveBufferBytes < 65_536) {
            throw new IllegalArgumentException("radius.receiveBufferBytes must be at least 65536");
        }
        Objects.requireNonNull(acceptLifetime, "radius.acceptLifetime");
        if (!acceptLifetime.isZero() && (acceptLifetime.compareTo(Duration.ofMinutes(1)) < 0
                || acceptLifetime.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("radius.acceptLifetime must be 0 (the verdict's Session-Timeout) or "
                    + "1m to 7d, got " + acceptLifetime);
        }
        if (sessionQueue < 1) {
            throw new IllegalArgumentException("radius.sessionQueue must be at least 1");
        }
        Objects.requireNonNull(sessionRetention, "radius.sessionRetention");
        if (sessionRetention.compareTo(Duration.ofHours(1)) < 0 || sessionRetention.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("radius.sessionRetention must be 1h to 365d, got " + sessionRetention);
        }
        if (maxRequestsPerSecond < 0 || maxRequestsPerSecond > 10_000_000) {
            throw new IllegalArgumentException("radius.maxRequestsPerSecond must be 0 (no limit) to 10000000, got "
                    + maxRequestsPerSecond);
        }
        Objects.requireNonNull(maxQueueDelay, "radius.maxQueueDelay");
        if (!maxQueueDelay.isZero() && (maxQueueDelay.compareTo(Duration.ofMillis(1)) < 0
                || maxQueueDelay.compareTo(Duration.ofSeconds(10)) > 0)) {
            throw new IllegalArgumentException("radius.maxQueueDelay must be 0 (no bound) or 1ms to 10s, got "
                    + maxQueueDelay);
        }
    }

    private static void port(String key, int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(key + " must be 0 to 65535, got " + p);
        }
    }

    /** A copy bound to another address. */
    public RadiusSettings withBindAddress(String address) {
        return new RadiusSettings(address, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, acceptLifetime,
                sessionQueue, sessionRetention, maxRequestsPerSecond, maxQueueDelay);
    }

    /** A copy with other ports (0 for any free port). */
    public RadiusSettings withPorts(int auth, int acct) {
        return new RadiusSettings(bindAddress, auth, acct, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, acceptLifetime,
                sessionQueue, sessionRetention, maxRequestsPerSecond, maxQueueDelay);
    }

    /** A copy with another transport choice and channel count. */
    public RadiusSettings withTransport(boolean nativeIfAvailable, int channelsPerPort) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channelsPerPort, nativeIfAvailable, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, acceptLifetime,
                sessionQueue, sessionRetention, maxRequestsPerSecond, maxQueueDelay);
    }

    /** A copy with other accounting writer bounds. */
    public RadiusSettings withAccounting(int threads, int queue) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, threads, queue, auditQueue, receiveBufferBytes, acceptLifetime, sessionQueue,
                sessionRetention, maxRequestsPerSecond, maxQueueDelay);
    }

    /** A copy with another receive-queue delay bound ({@link Duration#ZERO}: none). */
    public RadiusSettings withMaxQueueDelay(Duration delay) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, acceptLifetime,
                sessionQueue, sessionRetention, maxRequestsPerSecond, delay);
    }

    /** A copy with another rate bound (0: none). */
    public RadiusSettings withMaxRequestsPerSecond(int perSecond) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, acceptLifetime,
                sessionQueue, sessionRetention, perSecond, maxQueueDelay);
    }
}
