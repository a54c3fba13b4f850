package io.nacgw.radius.proxy;

import io.nacgw.certs.ClientTls;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.NasClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One upstream home server ({@code radius.upstreams.POOL.servers.NAME}). {@link #toString()} prints no secret.
 *
 * @param name             label in logs, metrics and the audit log
 * @param address          IP address (no host names: a DNS stall must not stall authentication)
 * @param authPort         authentication port (1812)
 * @param acctPort         accounting port (1813), for copied accounting
 * @param secret           the shared secret nacgw uses with this server
 * @param transport        how nacgw talks to it
 * @param responseTimeout  how long one transmission waits for the answer before nacgw retransmits (100ms-30s)
 * @param maxAttempts      transmissions of one request to this server (1-5) before nacgw fails over
 * @param requireMessageAuthenticator  drop replies without Message-Authenticator (BlastRADIUS; FreeRADIUS and NPS
 *                         send it)
 * @param tls              for {@link Transport#RADSEC}: the client certificate nacgw presents and the CAs it trusts
 *                         for the server's certificate (whose names must include {@code address}); null for UDP
 */
public record UpstreamSettings(String name, InetAddress address, int authPort, int acctPort, Secret secret,
                               Transport transport, Duration responseTimeout, int maxAttempts,
                               boolean requireMessageAuthenticator, ClientTls tls) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** How nacgw reaches an upstream. */
    public enum Transport {
        /** RADIUS over UDP (RFC 2865). */
        UDP,
        /**
         * RADIUS over TLS (RFC 6614): one connection to {@code authPort} (2083) for authentication, accounting and
         * Status-Server, the shared secret {@code radsec}.
         */
        RADSEC;

        /** Parses {@code udp} or {@code radsec} ({@code tls} too). */
        public static Transport fromName(String key, String s) {
            String v = s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("udp")) {
                return UDP;
            }
            if (v.equals("radsec") || v.equals("tls")) {
                return RADSEC;
            }
            throw new IllegalArgumentException(key + " must be udp or radsec, got '" + s + "'");
        }
    }

    public UpstreamSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("upstream name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String key = name + ".";
        Objects.requireNonNull(address, key + "address");
        port(key + "authPort", authPort);
        port(key + "acctPort", acctPort);
        if (authPort == acctPort) {
            throw new IllegalArgumentException(key + "authPort and " + key + "acctPort are both " + authPort);
        }
        Objects.requireNonNull(secret, key + "secret");
        Objects.requireNonNull(transport, key + "transport");
        Objects.requireNonNull(responseTimeout, key + "responseTimeout");
        if (responseTimeout.compareTo(Duration.ofMillis(100)) < 0 || responseTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException(key + "responseTimeout must be 100ms to 30s, got " + responseTimeout);
        }
        if (maxAttempts < 1 || maxAttempts > 5) {
            throw new IllegalArgumentException(key + "maxAttempts must be 1 to 5, got " + maxAttempts);
        }
        if ((transport == Transport.RADSEC) != (tls != null)) {
            throw new IllegalArgumentException(key + (tls == null ? "certificateFile, keyFile and caFiles are required"
                    + " with transport radsec" : "certificateFile, keyFile and caFiles are for transport radsec only"));
        }
    }

    /**
     * An upstream on RadSec with the defaults: port 2083, the secret {@code radsec}, 2 s per try, 2 tries (over
     * TCP a request is not retransmitted: it waits for both), MA required.
     */
    public static UpstreamSettings radsec(String name, InetAddress address, int port, ClientTls tls) {
        return new UpstreamSettings(name, address, port, port == 65535 ? port - 1 : port + 1, NasClient.sharedSecret("radsec"),
                Transport.RADSEC, Duration.ofSeconds(2), 2, true, tls);
    }

    /** An upstream on UDP with the defaults: 1812/1813, 2 s per transmission, 2 transmissions, MA required. */
    public static UpstreamSettings udp(String name, InetAddress address, int authPort, String secret) {
        return new UpstreamSettings(name, address, authPort, authPort == 1812 ? 1813 : authPort + 1,
                NasClient.sharedSecret(secret), Transport.UDP, Duration.ofSeconds(2), 2, true, null);
    }

    /** A copy with other retransmission settings. */
    public UpstreamSettings withTimeout(Duration perAttempt, int attempts) {
        return new UpstreamSettings(name, address, authPort, acctPort, secret, transport, perAttempt, attempts,
                requireMessageAuthenticator, tls);
    }

    /** A copy that requires Message-Authenticator in replies, or not (FreeRADIUS before 3.2.5 sends none). */
    public UpstreamSettings withRequireMessageAuthenticator(boolean on) {
        return new UpstreamSettings(name, address, authPort, acctPort, secret, transport, responseTimeout, maxAttempts,
                on, tls);
    }

    /** A copy with another accounting port. */
    public UpstreamSettings withAcctPort(int port) {
        return new UpstreamSettings(name, address, authPort, port, secret, transport, responseTimeout, maxAttempts,
                requireMessageAuthenticator, tls);
    }

    InetSocketAddress authSocket() {
        return new InetSocketAddress(address, authPort);
    }

    InetSocketAddress acctSocket() {
        return new InetSocketAddress(address, acctPort);
    }

    /** The longest this server may take on one request: every transmission waiting its full timeout. */
    Duration worstCase() {
        return responseTimeout.multipliedBy(maxAttempts);
    }

    private static void port(String key, int p) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(key + " must be 1 to 65535, got " + p);
        }
    }

    @Override
    public String toString() {
        return "Upstream[" + name + " " + transport.name().toLowerCase(java.util.Locale.ROOT) + " "
                + address.getHostAddress() + ":" + authPort + ", secret=***]";
    }
}
