package io.nacgw.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bouncycastle.util.IPAddress;

/**
 * The DNS names and IP addresses the server certificate is valid for (its subject alternative names). IPs are
 * literals (IPv4 or IPv6); nothing here touches DNS.
 */
public record ServerNames(List<String> hosts, List<String> ips) {
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public ServerNames {
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(ips, "ips");
        LinkedHashSet<String> h = new LinkedHashSet<>();
        for (String host : hosts) {
            String s = Objects.requireNonNull(host, "host").strip().toLowerCase(Locale.ROOT);
            if (s.length() > 253 || !HOST.matcher(s).matches()) {
                throw new IllegalArgumentException("invalid server host name '" + Texts.printable(host)
                        + "' (expected a DNS name such as nacgw.example.org)");
            }
            h.add(s);
        }
        LinkedHashSet<String> a = new LinkedHashSet<>();
        for (String ip : ips) {
            String s = Objects.requireNonNull(ip, "ip").strip();
            if (!IPAddress.isValid(s)) {
                throw new IllegalArgumentException("invalid server IP address '" + Texts.printable(ip)
                        + "' (expected an IPv4 or IPv6 literal)");
            }
            a.add(s.toLowerCase(Locale.ROOT));
        }
        if (h.isEmpty() && a.isEmpty()) {
            throw new IllegalArgumentException("the server certificate needs at least one host name or IP address");
        }
        hosts = List.copyOf(h);
        ips = List.copyOf(a);
    }

    /** Sorts a mixed list into host names and IP literals, e.g. the values of repeated {@code --san} options. */
    public static ServerNames of(List<String> hostsAndIps) {
        List<String> hosts = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String s : hostsAndIps) {
            String v = Objects.requireNonNull(s, "name").strip();
            (IPAddress.isValid(v) ? ips : hosts).add(v);
        }
        return new ServerNames(hosts, ips);
    }

    /** This machine's host name (when it resolves to a valid name), {@code localhost}, 127.0.0.1 and ::1. */
    public static ServerNames defaults() {
        List<String> hosts = new ArrayList<>();
        try {
            String local = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            if (HOST.matcher(local).matches() && !IPAddress.isValid(local)) {
                hosts.add(local);
            }
        } catch (UnknownHostException e) {
            // no usable host name: localhost and the loopback addresses still cover local use
        }
        hosts.add("localhost");
        return new ServerNames(hosts, List.of("127.0.0.1", "::1"));
    }

    /** The name for the certificate's subject CN: the first host name, else the first IP. */
    String commonName() {
        return hosts.isEmpty() ? ips.get(0) : hosts.get(0);
    }
}
