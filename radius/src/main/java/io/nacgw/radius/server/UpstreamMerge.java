package io.nacgw.radius.server;

import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How an upstream's Access-Accept and the profile's answer combine when nacgw proxies a login. The profile wins:
 * an upstream attribute of a type the profile's answer sets is dropped (the VLAN's three tunnel attributes,
 * Filter-Id, Session-Timeout, Termination-Action, Reply-Message; a vendor attribute of the same vendor and type,
 * a Cisco-AVPair with the same key), except Class, which both keep (the NAS echoes every Class in accounting).
 * Everything else the upstream sent stays, in its order, before the profile's attributes.
 */
final class UpstreamMerge {
    private static final int EAP_SUCCESS = 3;
    private static final int EAP_FAILURE = 4;

    private UpstreamMerge() {
    }

    static List<Attribute> accept(List<Attribute> upstream, List<Attribute> profile) {
        Set<Integer> types = new HashSet<>();
        Set<String> vendorKeys = new HashSet<>();
        for (Attribute a : profile) {
            if (a.isVendor()) {
                vendorKeys.add(vendorKey(a.vendorId(), a.type(), a.value()));
            } else if (a.type() != AttributeType.CLASS) {
                types.add(a.type());
            }
        }
        List<Attribute> out = new ArrayList<>(upstream.size() + profile.size());
        for (Attribute a : upstream) {
            if (a.isVendor() ? !vendorKeys.contains(vendorKey(a.vendorId(), a.type(), a.value()))
                    : !types.contains(a.type()) && !overriddenVsa(a, vendorKeys)) {
                out.add(a);
            }
        }
        out.addAll(profile);
        return out;
    }

    /** A whole Vendor-Specific attribute from the upstream whose (first) sub-attribute the profile sets. */
    private static boolean overriddenVsa(Attribute a, Set<String> vendorKeys) {
        if (a.type() != AttributeType.VENDOR_SPECIFIC || a.length() < 6 || vendorKeys.isEmpty()) {
            return false;
        }
        byte[] v = a.value();
        int vendor = ((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
        int sublen = v[5] & 0xFF;
        if (sublen < 2 || 4 + sublen > v.length) {
            return false;
        }
        byte[] value = java.util.Arrays.copyOfRange(v, 6, 4 + sublen);
        return vendorKeys.contains(vendorKey(vendor, v[4] & 0xFF, value));
    }

    /** vendor/type, and for a Cisco-AVPair its key ({@code url-redirect} of {@code url-redirect=...}). */
    private static String vendorKey(int vendor, int type, byte[] value) {
        if (vendor == AttributeType.VENDOR_CISCO && type == AttributeType.CISCO_AVPAIR) {
            String text = new String(value, StandardCharsets.UTF_8);
            int eq = text.indexOf('=');
            return vendor + "/" + type + "/" + (eq < 0 ? text : text.substring(0, eq));
        }
        return vendor + "/" + type;
    }

    /**
     * When nacgw turns an upstream's EAP Accept into a Reject: an EAP-Failure with the identifier of the upstream's
     * EAP-Success, so the supplicant ends the conversation (RFC 3579 §2.6.3); nothing for a non-EAP login.
     */
    static List<Attribute> eapFailureFor(List<Attribute> upstream) {
        for (Attribute a : upstream) {
            if (!a.isVendor() && a.type() == AttributeType.EAP_MESSAGE) {
                byte[] v = a.value();
                if (v.length >= 4 && v[0] == EAP_SUCCESS) {
                    return List.of(Attribute.of(AttributeType.EAP_MESSAGE, new byte[]{EAP_FAILURE, v[1], 0, 4}));
                }
                return List.of();
            }
        }
        return List.of();
    }
}
