package io.nacgw.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Listen addresses must be IP literals: a host name would be looked up in DNS at start (slow, and wrong when DNS
 * answers differently tomorrow), and a typo would surface as a resolver error instead of naming the key.
 */
final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private IpLiterals() {
    }

    /** Throws an {@link IllegalArgumentException} naming {@code key} unless {@code value} is an IPv4 or IPv6 literal. */
    static void require(String key, String value) {
        if (value == null || value.isEmpty()) {
            return; // the component's own default applies
        }
        if (IPV4.matcher(value).matches()) {
            return;
        }
        if (value.indexOf(':') >= 0) {
            try {
                // with a ':' the JDK parses an IPv6 literal and never asks DNS
                InetAddress.getByName(value.startsWith("[") ? value : "[" + value + "]");
                return;
            } catch (UnknownHostException | IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(key + " must be an IP address such as 0.0.0.0, ::, 127.0.0.1 or one of this"
                + " host's addresses (no host names), got '" + value + "'");
    }
}
