package io.nacgw.radius;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured NAS clients, matched by source address with longest-prefix-wins (IPv4 and IPv6). Immutable and
 * thread-safe: a reload builds a new registry and swaps it in whole.
 */
public final class NasRegistry {
    private final List<NasClient> clients;
    /** Per address family (4 or 16 bytes): prefix lengths present, longest first, and masked address → client. */
    private final int[] v4Prefixes;
    private final int[] v6Prefixes;
    private final Map<Key, NasClient> byNetwork;
    private final Map<String, NasClient> byName;
    private final Map<String, NasClient> byCertificateName;

    private record Key(int prefix, long hi, long lo) {
    }

    private NasRegistry(List<NasClient> clients) {
        this.clients = List.copyOf(clients);
        Map<Key, NasClient> map = new HashMap<>();
        Map<String, NasClient> names = new HashMap<>();
        Map<String, NasClient> certificateNames = new HashMap<>();
        Set<Integer> p4 = new HashSet<>();
        Set<Integer> p6 = new HashSet<>();
        for (NasClient c : this.clients) {
            if (names.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("radius.clients defines '" + c.name() + "' twice");
            }
            NasClient sameCertificate = certificateNames.putIfAbsent(c.effectiveCertificateName(), c);
            if (sameCertificate != null) {
                throw new IllegalArgumentException("radius.clients '" + sameCertificate.name() + "' and '" + c.name()
                        + "' both use the certificate name '" + c.effectiveCertificateName() + "' (certificateName)");
            }
            byte[] a = c.address().network().getAddress();
            Key k = key(a, c.address().prefix());
            NasClient prev = map.put(k, c);
            if (prev != null) {
                throw new IllegalArgumentException("radius.clients '" + prev.name() + "' and '" + c.name()
                        + "' both claim " + c.address());
            }
            (a.length == 4 ? p4 : p6).add(c.address().prefix());
        }
        this.byNetwork = Map.copyOf(map);
        this.byName = Map.copyOf(names);
        this.byCertificateName = Map.copyOf(certificateNames);
        this.v4Prefixes = descending(p4);
        this.v6Prefixes = descending(p6);
    }

    /** The client with this name, or null. */
    public NasClient byName(String name) {
        return byName.get(name);
    }

    /** The client a RadSec NAS presenting a certificate with this name is (its certificateName, or its name), or null. */
    public NasClient byCertificateName(String certificateName) {
        return byCertificateName.get(certificateName);
    }

    /** A registry of these clients; rejects duplicate names and two clients claiming the same network. */
    public static NasRegistry of(List<NasClient> clients) {
        return new NasRegistry(clients);
    }

    private static int[] descending(Set<Integer> s) {
        int[] a = s.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < a.length / 2; i++) {
            int t = a[i];
            a[i] = a[a.length - 1 - i];
            a[a.length - 1 - i] = t;
        }
        return a;
    }

    private static Key key(byte[] a, int prefix) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            long b = a[i] & (0xFF << (8 - keep)) & 0xFF;
            if (i < 8) {
                hi = (hi << 8) | b;
            } else {
                lo = (lo << 8) | b;
            }
        }
        return new Key(a.length == 4 ? -prefix - 1 : prefix, hi, lo); // v4 and v6 keys never collide
    }

    /** The client whose network is the longest match for {@code source}, or null (unknown NAS: drop). */
    public NasClient find(InetAddress source) {
        byte[] a = source.getAddress();
        if (a.length == 16 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        int[] prefixes = a.length == 4 ? v4Prefixes : v6Prefixes;
        for (int p : prefixes) {
            NasClient c = byNetwork.get(key(a, p));
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    /** The clients in configuration order. */
    public List<NasClient> clients() {
        return clients;
    }

    /** Every profile name the clients refer to (to check against the access policy at start and reload). */
    public Set<String> profileNames() {
        Set<String> out = new HashSet<>();
        for (NasClient c : clients) {
            out.add(c.defaultProfile());
            c.profileRules().forEach(r -> out.add(r.profile()));
        }
        return out;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        clients.forEach(c -> names.add(c.name() + "=" + c.address()));
        return "NasRegistry" + names;
    }
}
