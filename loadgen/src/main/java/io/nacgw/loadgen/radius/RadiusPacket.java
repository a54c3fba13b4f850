package io.nacgw.loadgen.radius;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A decoded RADIUS packet: code, identifier, authenticator and attributes in wire order. */
public record RadiusPacket(int code, int id, byte[] authenticator, List<RadiusAttribute> attributes) {
    public RadiusPacket {
        attributes = List.copyOf(attributes);
    }

    /** The first attribute of a type, or null. */
    public RadiusAttribute first(int type) {
        for (RadiusAttribute a : attributes) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    /** Every attribute of a type, in wire order. */
    public List<RadiusAttribute> all(int type) {
        List<RadiusAttribute> out = new ArrayList<>(2);
        for (RadiusAttribute a : attributes) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    /** The VLAN of a Tunnel-Private-Group-Id (81, tag removed), or null when there is none. */
    public String vlan() {
        RadiusAttribute a = first(RadiusCodec.TUNNEL_PRIVATE_GROUP_ID);
        return a == null ? null : a.asUntaggedText();
    }

    /** All Reply-Message (18) texts joined by newlines, or null. */
    public String replyMessage() {
        List<RadiusAttribute> r = all(RadiusCodec.REPLY_MESSAGE);
        if (r.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (RadiusAttribute a : r) {
            b.append(b.length() == 0 ? "" : "\n").append(a.asText());
        }
        return b.toString();
    }

    /** The Class (25) value as raw bytes (opaque to the NAS), or null. */
    public byte[] classValue() {
        RadiusAttribute a = first(RadiusCodec.CLASS);
        return a == null ? null : a.value().clone();
    }

    /**
     * Sub-attribute values of Vendor-Specific attributes for one vendor and vendor type (RFC 2865 layout: vendor id,
     * then type/length/value triples). A VSA whose sub-attributes do not add up is skipped.
     */
    public List<byte[]> vendor(int vendorId, int vendorType) {
        List<byte[]> out = new ArrayList<>(1);
        for (RadiusAttribute a : all(RadiusCodec.VENDOR_SPECIFIC)) {
            byte[] v = a.value();
            if (v.length < 6) {
                continue;
            }
            int vid = ((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
            if (vid != vendorId) {
                continue;
            }
            List<byte[]> found = new ArrayList<>(1);
            int p = 4;
            boolean ok = true;
            while (p < v.length) {
                int len = p + 1 < v.length ? v[p + 1] & 0xFF : 0;
                if (len < 2 || p + len > v.length) {
                    ok = false;
                    break;
                }
                if ((v[p] & 0xFF) == vendorType) {
                    byte[] d = new byte[len - 2];
                    System.arraycopy(v, p + 2, d, 0, d.length);
                    found.add(d);
                }
                p += len;
            }
            if (ok) {
                out.addAll(found);
            }
        }
        return out;
    }

    /** Vendor sub-attribute values as text (e.g. Cisco-AVPair: vendor 9, type 1). */
    public List<String> vendorText(int vendorId, int vendorType) {
        List<String> out = new ArrayList<>(1);
        for (byte[] d : vendor(vendorId, vendorType)) {
            out.add(new String(d, StandardCharsets.UTF_8));
        }
        return out;
    }
}
