package io.nacgw.radius.codec;

import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A decoded, verified request and where it came from. The client and secret are those resolved when the datagram
 * arrived, so a registry reload never changes the secret a request is answered with.
 *
 * @param code           packet code
 * @param identifier     packet identifier (0-255)
 * @param authenticator  the 16-byte Request Authenticator (do not modify)
 * @param attributes     attributes in wire order, vendor sub-attributes flattened in place
 * @param sender         the NAS's address and port; the reply goes there
 * @param client         the NAS client matched by source address
 * @param secret         the client secret that verified this packet
 * @param receivedNanos  {@link System#nanoTime()} at arrival, for latency
 */
public record RadiusRequest(int code, int identifier, byte[] authenticator, List<Attribute> attributes,
                            InetSocketAddress sender, NasClient client, Secret secret, long receivedNanos) {
    public RadiusRequest {
        if (authenticator.length != 16) {
            throw new IllegalArgumentException("authenticator must be 16 bytes");
        }
        attributes = List.copyOf(attributes);
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(secret, "secret");
    }

    /** The first standard attribute of this type, or null. */
    public Attribute first(int type) {
        for (Attribute a : attributes) {
            if (a.type() == type && !a.isVendor()) {
                return a;
            }
        }
        return null;
    }

    /** Every standard attribute of this type, in order. */
    public List<Attribute> all(int type) {
        List<Attribute> out = new ArrayList<>(2);
        for (Attribute a : attributes) {
            if (a.type() == type && !a.isVendor()) {
                out.add(a);
            }
        }
        return out;
    }

    /** Every vendor sub-attribute of this vendor and type, in order. */
    public List<Attribute> vendor(int vendorId, int type) {
        List<Attribute> out = new ArrayList<>(2);
        for (Attribute a : attributes) {
            if (a.type() == type && a.vendorId() == vendorId) {
                out.add(a);
            }
        }
        return out;
    }

    /** The first standard attribute's text, or null. */
    public String text(int type) {
        Attribute a = first(type);
        return a == null ? null : a.asText();
    }

    /** The first standard integer attribute's value, or null when absent or not 4 bytes. */
    public Integer integer(int type) {
        Attribute a = first(type);
        long v = a == null ? -1 : a.asInt();
        return v < 0 ? null : (int) v;
    }

    /** True when a standard attribute of this type is present. */
    public boolean has(int type) {
        return first(type) != null;
    }

    /** True when a vendor sub-attribute of this vendor and type is present. */
    public boolean hasVendor(int vendorId, int type) {
        for (Attribute a : attributes) {
            if (a.type() == type && a.vendorId() == vendorId) {
                return true;
            }
        }
        return false;
    }

    /** Cisco-AVPair values ({@code key=value} text) in order; an empty list (nothing allocated) when none. */
    public List<String> ciscoAvPairs() {
        List<String> out = null;
        for (Attribute a : attributes) {
            if (a.type() == AttributeType.CISCO_AVPAIR && a.vendorId() == AttributeType.VENDOR_CISCO) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(a.asText());
            }
        }
        return out == null ? List.of() : out;
    }

    /** The value after {@code key=} in the first Cisco-AVPair that starts with it, or null. */
    public String ciscoAvPair(String key) {
        for (String s : ciscoAvPairs()) {
            if (s.length() > key.length() && s.startsWith(key) && s.charAt(key.length()) == '=') {
                return s.substring(key.length() + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return RadiusCode.name(code) + "[id=" + identifier + ", from " + client.name() + " " + sender + ", "
                + attributes.size() + " attributes]";
    }
}
