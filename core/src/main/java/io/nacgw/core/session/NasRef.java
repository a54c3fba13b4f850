package io.nacgw.core.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which NAS a RADIUS packet speaks for.
 *
 * @param id      the NAS identity that keys its sessions: {@code ip:<addr>}, {@code ipv6:<addr>} (NAS-IP-Address,
 *                NAS-IPv6-Address, or the packet's source address) or {@code id:<NAS-Identifier>}
 * @param client  the configured RADIUS client the packet came through (a proxy, a switch or a whole network)
 * @param address the NAS's own IP address (NAS-IP-Address / NAS-IPv6-Address, else the source address): where a
 *                CoA/Disconnect goes unless the client says otherwise
 * @param source  the packet's source address (the proxy's, behind a proxy); over RadSec the TLS connection's peer
 * @param transport how the packets came: UDP, or RadSec (then CoA goes back over the NAS's TLS connection)
 */
public record NasRef(String id, String client, String address, String source, NasTransport transport) {
    private static final Pattern V4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern V6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public NasRef {
        if (id == null || id.isEmpty() || id.length() > 260) {
            throw new IllegalArgumentException("NAS id must be 1-260 characters");
        }
        if (client == null || client.isEmpty() || client.length() > 64) {
            throw new IllegalArgumentException("client must be 1-64 characters");
        }
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        if (address.isEmpty() || address.length() > 45 || source.isEmpty() || source.length() > 45) {
            throw new IllegalArgumentException("address and source must be IP addresses");
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** A NAS that speaks RADIUS over UDP. */
    public NasRef(String id, String client, String address, String source) {
        this(id, client, address, source, NasTransport.UDP);
    }

    /** The identity of the NAS at {@code a}: {@code ip:192.0.2.1}, {@code ipv6:2001:db8::1} (IPv4-mapped as IPv4). */
    public static String addressId(InetAddress a) {
        String text = addressText(a);
        return (text.indexOf(':') < 0 ? "ip:" : "ipv6:") + text;
    }

    /** The identity of the NAS that calls itself {@code nasIdentifier} (NAS-Identifier). */
    public static String identifierId(String nasIdentifier) {
        return "id:" + nasIdentifier;
    }

    /** {@code a} as text: dotted IPv4 (also for IPv4-mapped IPv6), IPv6 in the RFC 5952 compressed form. */
    public static String addressText(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            return (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    /** {@code text} in {@link #addressText} form when it is an IP literal; otherwise unchanged. */
    public static String canonicalAddress(String text) {
        if (!V4_LITERAL.matcher(text).matches() && !V6_LITERAL.matcher(text).matches()) {
            return text;
        }
        try {
            return addressText(InetAddress.getByName(text)); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return text;
        }
    }
}
