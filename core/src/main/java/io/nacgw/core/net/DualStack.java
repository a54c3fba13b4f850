package io.nacgw.core.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.BooleanSupplier;

/**
 * The servers' default listen address {@code ::}: one IPv6 socket that also accepts IPv4 as IPv4-mapped addresses
 * (Linux {@code net.ipv6.bindv6only=0}, the default), so IPv6-only and IPv4-only NASes and NAC appliances both reach
 * nacgw. Where the kernel has no IPv6 (disabled, or {@code java.net.preferIPv4Stack=true}) {@code ::} becomes
 * {@code 0.0.0.0}.
 */
public final class DualStack {
    private static final Logger log = LoggerFactory.getLogger(DualStack.class);
    /** The wildcard that listens on IPv6 and IPv4. */
    public static final String ANY = "::";
    /** The IPv4-only wildcard. */
    public static final String ANY_V4 = "0.0.0.0";
    private static volatile Boolean ipv6;

    private DualStack() {
    }

    /** {@code host}, except {@code ::} on a host without IPv6, which becomes {@code 0.0.0.0} (logged once per use). */
    public static String bindAddress(String host) {
        return bindAddress(host, DualStack::ipv6Available);
    }

    /** As above with the IPv6 probe given (tests). */
    static String bindAddress(String host, BooleanSupplier ipv6Available) {
        if (!isAny6(host) || ipv6Available.getAsBoolean()) {
            return host;
        }
        log.warn("IPv6 is not available on this host: listening on {} (IPv4 only) instead of {}", ANY_V4, host);
        return ANY_V4;
    }

    private static boolean isAny6(String host) {
        return host.equals(ANY) || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** True when an IPv6 socket can be bound here (probed once: a TCP socket bound to {@code ::}, port 0). */
    public static boolean ipv6Available() {
        Boolean v = ipv6;
        if (v == null) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(ANY, 0));
                v = s.getInetAddress().getAddress().length == 16;
            } catch (IOException | RuntimeException e) {
                v = false;
            }
            ipv6 = v;
        }
        return v;
    }
}
