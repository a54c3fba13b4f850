package io.nacgw.radius.server;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Udid;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.NasTransport;
import io.nacgw.radius.IdentitySource;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasIdentity;
import io.nacgw.radius.VendorIdentity;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads identity facts out of a request: MACs in any format, Cisco mdm-tlv pairs, the SSID, identifiers seen. */
final class RequestFacts {
    private static final String DEVICE_MAC = "mdm-tlv=device-mac=";
    private static final String DEVICE_UID = "mdm-tlv=device-uid=";

    private RequestFacts() {
    }

    /** A MAC in an attribute's text (any vendor format) or as 6 raw bytes (Huawei binary); null otherwise. */
    static MacAddress mac(Attribute a) {
        if (a == null) {
            return null;
        }
        if (a.length() == 6 && !a.isPrintable()) {
            return MacAddress.of(a.value());
        }
        return MacAddress.tryParse(a.asText().strip());
    }

    static MacAddress userNameMac(RadiusRequest r) {
        return mac(r.first(AttributeType.USER_NAME));
    }

    static MacAddress callingStationMac(RadiusRequest r) {
        return mac(r.first(AttributeType.CALLING_STATION_ID));
    }

    /**
     * The NAS this request speaks for (RFC 2865 §5.4, RFC 2866 §5.1, RFC 5176 §3): with the client's
     * {@code nasIdentity: attributes} (default) NAS-IP-Address, else NAS-IPv6-Address, else NAS-Identifier, else the
     * source address; with {@code source}, always the source address. The NAS's address (for CoA) is
     * NAS-IP-Address / NAS-IPv6-Address when sent, else the source address.
     */
    static NasRef nas(RadiusRequest r) {
        InetAddress source = r.sender().getAddress();
        String sourceText = NasRef.addressText(source);
        String client = r.client().name();
        NasTransport transport = r.client().overTls() ? NasTransport.RADSEC : NasTransport.UDP;
        if (r.client().nasIdentity() == NasIdentity.ATTRIBUTES) {
            InetAddress own = address(r.first(AttributeType.NAS_IP_ADDRESS), 4);
            if (own == null) {
                own = address(r.first(AttributeType.NAS_IPV6_ADDRESS), 16);
            }
            if (own != null) {
                return new NasRef(NasRef.addressId(own), client, NasRef.addressText(own), sourceText, transport);
            }
            Attribute id = r.first(AttributeType.NAS_IDENTIFIER);
            if (id != null && id.length() > 0) {
                // a binary NAS-Identifier is kept as hex, cut to fit the key (NAS names are short in practice)
                String name = id.isPrintable() ? id.asText()
                        : "0x" + hex(java.util.Arrays.copyOf(id.value(), Math.min(id.length(), 120)));
                return new NasRef(NasRef.identifierId(name), client, sourceText, sourceText, transport);
            }
        }
        return new NasRef(NasRef.addressId(source), client, sourceText, sourceText, transport);
    }

    /** An address attribute of exactly {@code length} bytes that is not all zeros (unspecified), or null. */
    private static InetAddress address(Attribute a, int length) {
        if (a == null || a.length() != length) {
            return null;
        }
        boolean zero = true;
        for (byte b : a.value()) {
            zero &= b == 0;
        }
        if (zero) {
            return null;
        }
        try {
            return InetAddress.getByAddress(a.value());
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes are always an address
        }
    }

    /** NAS-Port, or null. */
    static Long nasPort(RadiusRequest r) {
        Attribute a = r.first(AttributeType.NAS_PORT);
        return a == null || a.length() != 4 ? null : a.asInt();
    }

    /** NAS-Port-Id as text, or null. */
    static String nasPortId(RadiusRequest r) {
        Attribute a = r.first(AttributeType.NAS_PORT_ID);
        return a == null || a.length() == 0 ? null : a.isPrintable() ? a.asText() : "0x" + hex(a.value());
    }

    /** The SSID of an RFC 3580 Called-Station-Id {@code AP-MAC:SSID}, or null. */
    static String ssid(RadiusRequest r) {
        String called = r.text(AttributeType.CALLED_STATION_ID);
        if (called == null) {
            return null;
        }
        for (int macLen : new int[]{17, 14, 12}) {
            if (called.length() > macLen + 1 && called.charAt(macLen) == ':'
                    && MacAddress.tryParse(called.substring(0, macLen)) != null) {
                return called.substring(macLen + 1);
            }
        }
        return null;
    }

    /** Candidate device identifiers from the client's sources, in its order, without duplicates. */
    static List<DeviceIdentifier> identifiers(RadiusRequest r, NasClient client) {
        List<DeviceIdentifier> out = new ArrayList<>(4);
        for (IdentitySource s : client.identitySources()) {
            DeviceIdentifier id = null;
            switch (s) {
                case CISCO_DEVICE_UID:
                    id = deviceUid(avPair(r, DEVICE_UID));
                    break;
                case CISCO_DEVICE_MAC:
                    String m = avPair(r, DEVICE_MAC);
                    id = m == null ? null : MacAddress.tryParse(m.strip());
                    break;
                case CALLING_STATION_ID:
                    id = callingStationMac(r);
                    break;
                case USER_NAME:
                    id = userNameMac(r);
                    break;
                case VENDOR_ATTRIBUTE:
                    id = vendorIdentifier(r, client.vendorIdentity());
                    break;
                default:
                    throw new AssertionError(s);
            }
            if (id != null && !out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static String avPair(RadiusRequest r, String prefix) {
        for (String s : r.ciscoAvPairs()) {
            if (s.startsWith(prefix) && s.length() > prefix.length()) {
                return s.substring(prefix.length());
            }
        }
        return null;
    }

    /** An AnyConnect device-uid that is a GUID (Intune id) or an Apple UDID; other shapes identify nothing here. */
    private static DeviceIdentifier deviceUid(String text) {
        if (text == null) {
            return null;
        }
        DeviceGuid g = DeviceGuid.tryParse(IdentifierKind.INTUNE_ID, text);
        if (g != null) {
            return g;
        }
        try {
            return Udid.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static DeviceIdentifier vendorIdentifier(RadiusRequest r, VendorIdentity v) {
        for (Attribute a : r.vendor(v.vendorId(), v.type())) {
            try {
                return DeviceIdentifier.parse(v.kind(), a.asText().strip());
            } catch (IllegalArgumentException e) {
                // not this kind of identifier: try the next attribute
            }
        }
        return null;
    }

    /** Identifying attributes as text for the audit log (never a password). */
    static Map<String, String> seen(RadiusRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "User-Name", r.first(AttributeType.USER_NAME));
        put(m, "Calling-Station-Id", r.first(AttributeType.CALLING_STATION_ID));
        put(m, "Called-Station-Id", r.first(AttributeType.CALLED_STATION_ID));
        put(m, "NAS-Identifier", r.first(AttributeType.NAS_IDENTIFIER));
        Integer npt = r.integer(AttributeType.NAS_PORT_TYPE);
        if (npt != null) {
            m.put("NAS-Port-Type", Integer.toString(npt));
        }
        Integer st = r.integer(AttributeType.SERVICE_TYPE);
        if (st != null) {
            m.put("Service-Type", Integer.toString(st));
        }
        String mac = avPair(r, DEVICE_MAC);
        if (mac != null) {
            m.put("device-mac", mac);
        }
        String uid = avPair(r, DEVICE_UID);
        if (uid != null) {
            m.put("device-uid", uid);
        }
        return m;
    }

    private static void put(Map<String, String> m, String name, Attribute a) {
        if (a != null) {
            m.put(name, a.isPrintable() ? a.asText() : "0x" + hex(a.value()));
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
