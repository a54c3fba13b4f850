package io.nacgw.radius.server;

import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.policy.Verdict;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns a decision into reply attributes for the NAS's vendor profile. */
final class ReplyAttributes {
    /** Prefix of the Class value, so accounting records from nacgw decisions are recognisable. */
    static final String CLASS_PREFIX = "nacgw:";

    private ReplyAttributes() {
    }

    /**
     * Access-Accept attributes: VLAN as tagged tunnel attributes (tag 0; RFC 2868/3580), Filter-Id, Class with the
     * decision id, Session-Timeout with Termination-Action RADIUS-Request, Reply-Message, and vendor attributes.
     */
    static List<Attribute> accept(Decision d, VendorProfile vendor, String decisionId) {
        ResponseAttributes a = d.attributes();
        List<Attribute> out = new ArrayList<>(10);
        if (a.vlan() != null) {
            // tagged integers: the tag replaces the top byte, so tag 0 + VLAN(13) is 00 00 00 0D
            out.add(Attribute.integer(AttributeType.TUNNEL_TYPE, AttributeType.TUNNEL_TYPE_VLAN));
            out.add(Attribute.integer(AttributeType.TUNNEL_MEDIUM_TYPE, AttributeType.TUNNEL_MEDIUM_IEEE_802));
            byte[] name = a.vlan().getBytes(StandardCharsets.UTF_8);
            byte[] tagged = new byte[name.length + 1]; // explicit tag 0 so a VLAN name starting below 0x20 stays intact
            System.arraycopy(name, 0, tagged, 1, name.length);
            out.add(Attribute.of(AttributeType.TUNNEL_PRIVATE_GROUP_ID, tagged));
        }
        if (a.filterId() != null) {
            out.add(Attribute.text(AttributeType.FILTER_ID, a.filterId()));
        }
        out.add(Attribute.text(AttributeType.CLASS, classValue(decisionId)));
        if (a.sessionTimeout() != null) {
            out.add(Attribute.integer(AttributeType.SESSION_TIMEOUT, a.sessionTimeout()));
            out.add(Attribute.integer(AttributeType.TERMINATION_ACTION, AttributeType.TERMINATION_ACTION_RADIUS_REQUEST));
        }
        String message = a.replyMessage();
        if (message == null && d.verdict() == Verdict.QUARANTINE) {
            message = explain(d);
        }
        if (message != null) {
            out.add(replyMessage(message));
        }
        if (vendor == VendorProfile.CISCO) {
            if (a.redirectUrl() != null) {
                out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR,
                        "url-redirect=" + a.redirectUrl()));
            }
            if (a.redirectAcl() != null) {
                out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR,
                        "url-redirect-acl=" + a.redirectAcl()));
            }
        } else if (vendor == VendorProfile.ARUBA && a.role() != null) {
            out.add(Attribute.vendorText(AttributeType.VENDOR_ARUBA, AttributeType.ARUBA_USER_ROLE, a.role()));
        }
        return out;
    }

    /** Access-Reject attributes for a DENY: the profile's deny message, or the decision's sentence and remedy URL. */
    /** The Class nacgw sends with decision {@code decisionId}. */
    static String classValue(String decisionId) {
        return CLASS_PREFIX + decisionId;
    }

    /** The decision id inside a Class nacgw sent ({@code nacgw:<hex>}), or null for any other Class. */
    static String decisionId(String classValue) {
        if (classValue == null || !classValue.startsWith(CLASS_PREFIX)) {
            return null;
        }
        String id = classValue.substring(CLASS_PREFIX.length());
        return id.isEmpty() || id.length() > 32 ? null : id;
    }

    static List<Attribute> reject(Decision d) {
        String configured = d.attributes().replyMessage();
        return List.of(replyMessage(configured != null ? configured : explain(d)));
    }

    /** Access-Reject attributes for a request nacgw cannot authenticate. */
    static List<Attribute> reject(String message) {
        return List.of(replyMessage(message));
    }

    private static String explain(Decision d) {
        return d.remediationUrl() == null ? d.message() : d.message() + " " + d.remediationUrl();
    }

    /** Reply-Message cut to one attribute (253 bytes) on a character boundary. */
    static Attribute replyMessage(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 253) {
            return Attribute.of(AttributeType.REPLY_MESSAGE, b);
        }
        int n = 253;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--; // do not split a UTF-8 sequence
        }
        return Attribute.of(AttributeType.REPLY_MESSAGE, Arrays.copyOf(b, n));
    }
}
