package io.nacgw.radius;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport and capacity settings of the RADIUS server (config keys {@code radius.*}).
 *
 * @param bindAddress         address to bind both ports ({@code 0.0.0.0}, {@code ::}, or one interface's address)
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
 * @param maxRequestsPerSecond datagrams admitted per second on each port, checked before any parsing or
 *                            cryptography (0: no limit); beyond it the newest are dropped and counted as
 *                            {@code overloaded}, so an overload costs a copy and a counter, not a decode and an HMAC
 */
public record RadiusSettings(String bindAddress, int authPort, int acctPort, int channels, boolean nativeTransport,
                             Duration duplicateTtl, int duplicateCacheSize, int accountingThreads, int accountingQueue,
                             int auditQueue, int receiveBufferBytes, int maxRequestsPerSecond) {
    /** 0.0.0.0:1812/1813, epoll with one channel per core, 10 s duplicate cache of 100,000, 2 accounting threads. */
    public static final RadiusSettings DEFAULTS = new RadiusSettings("0.0.0.0", 1812, 1813, 0, true,
            Duration.ofSeconds(10), 100_000, 2, 10_000, 65_536, 4 << 20, 0);

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
        if (maxRequestsPerSecond < 0 || maxRequestsPerSecond > 10_000_000) {
            throw new IllegalArgumentException("radius.maxRequestsPerSecond must be 0 (no limit) to 10000000, got "
                    + maxRequestsPerSecond);
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
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes,
                maxRequestsPerSecond);
    }

    /** A copy with other ports (0 for any free port). */
    public RadiusSettings withPorts(int auth, int acct) {
        return new RadiusSettings(bindAddress, auth, acct, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes,
                maxRequestsPerSecond);
    }

    /** A copy with another transport choice and channel count. */
    public RadiusSettings withTransport(boolean nativeIfAvailable, int channelsPerPort) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channelsPerPort, nativeIfAvailable, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes,
                maxRequestsPerSecond);
    }

    /** A copy with another admission rate per port (0: no limit). */
    public RadiusSettings withMaxRequestsPerSecond(int rate) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, accountingThreads, accountingQueue, auditQueue, receiveBufferBytes, rate);
    }

    /** A copy with other accounting writer bounds. */
    public RadiusSettings withAccounting(int threads, int queue) {
        return new RadiusSettings(bindAddress, authPort, acctPort, channels, nativeTransport, duplicateTtl,
                duplicateCacheSize, threads, queue, auditQueue, receiveBufferBytes,
                maxRequestsPerSecond);
    }
}
