package io.nacgw.radius.radsec;

import io.nacgw.radius.codec.RadSec;
import java.time.Duration;
import java.util.Objects;

/**
 * The RadSec listener (config keys {@code radius.radsec.*}).
 *
 * @param enabled           listen at all (default false)
 * @param bindAddress       IP literal to bind ({@code ::} dual stack, {@code 0.0.0.0}, one interface's address)
 * @param port              TCP port (2083; 0 picks a free port, for tests)
 * @param idleTimeout       a connection with no packet either way for this long is closed (NASes keep theirs open
 *                          with Status-Server or reconnect)
 * @param handshakeTimeout  a TLS handshake must complete within this, else the connection is closed
 * @param maxConnections    connections open at once; beyond it new ones are closed at once
 * @param maxConnectionsPerAddress  connections open at once from one IP address (one NAS, or the NASes behind one
 *                          NAT); beyond it that address's new ones are closed at once, so one peer cannot take all
 * @param maxInFlightPerConnection  requests one connection may have unanswered (1-256, the identifier space); at it,
 *                          reading from that connection pauses (TCP back-pressure) until answers drain
 * @param maxInFlight       requests all connections together may have unanswered; at it, reading pauses likewise
 */
public record RadSecSettings(boolean enabled, String bindAddress, int port, Duration idleTimeout,
                             Duration handshakeTimeout, int maxConnections, int maxConnectionsPerAddress,
                             int maxInFlightPerConnection, int maxInFlight) {
    /** Connections per address by default: a NAS opens one or a few; a NAT of many APs needs a higher value. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    /**
     * Unanswered requests per connection by default: a NAS pipelines a few dozen; 128 outstanding means the server is
     * behind by seconds for that NAS, and reading more would only queue work whose answer comes too late.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 128;
    /** Unanswered requests over all connections by default: about 0.1 s of one core's MAB capacity. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2048;
    /** Off; {@code ::}:2083, 5 min idle, 10 s handshake, 1,024 connections, 64 per address, 128/2,048 in flight. */
    public static final RadSecSettings DEFAULTS = new RadSecSettings(false, "::", RadSec.DEFAULT_PORT,
            Duration.ofMinutes(5), Duration.ofSeconds(10), 1024, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION, DEFAULT_MAX_IN_FLIGHT);

    /** Settings with the default per-address limit (at most {@code maxConnections}) and in-flight bounds. */
    public RadSecSettings(boolean enabled, String bindAddress, int port, Duration idleTimeout,
                          Duration handshakeTimeout, int maxConnections) {
        this(enabled, bindAddress, port, idleTimeout, handshakeTimeout, maxConnections,
                Math.min(maxConnections, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS), DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
                DEFAULT_MAX_IN_FLIGHT);
    }

    public RadSecSettings {
        Objects.requireNonNull(bindAddress, "radius.radsec.bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("radius.radsec.port must be 0-65535, got " + port);
        }
        requirePositive("radius.radsec.idleTimeout", idleTimeout);
        requirePositive("radius.radsec.handshakeTimeout", handshakeTimeout);
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            throw new IllegalArgumentException("radius.radsec.maxConnections must be 1-1000000, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("radius.radsec.maxConnectionsPerAddress must be 1 to "
                    + "radius.radsec.maxConnections (" + maxConnections + "), got " + maxConnectionsPerAddress);
        }
        if (maxInFlightPerConnection < 1 || maxInFlightPerConnection > 256) {
            throw new IllegalArgumentException("radius.radsec.maxInFlightPerConnection must be 1-256 (the RADIUS "
                    + "identifiers of one connection), got " + maxInFlightPerConnection);
        }
        if (maxInFlight < maxInFlightPerConnection || maxInFlight > 1_000_000) {
            throw new IllegalArgumentException("radius.radsec.maxInFlight must be radius.radsec.maxInFlightPerConnection ("
                    + maxInFlightPerConnection + ") to 1000000, got " + maxInFlight);
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(key + " must be more than 0 and at most 1 day, got " + d);
        }
    }
}
