package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusAttribute;
import io.nacgw.loadgen.radius.RadiusCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the requests look like, modelled on real NAS captures (see docs/research radius.md §1). */
public enum RequestShape {
    /**
     * Switch MAB: User-Name and PAP User-Password both the MAC as 12 hex digits, Service-Type Call-Check,
     * Calling-Station-Id in RFC 3580 form, NAS-Port-Type Ethernet.
     */
    MAB,
    /**
     * VPN authorize-only (Cisco ASA with ACIDex): User-Name is the user, no password, Service-Type Authorize-Only,
     * NAS-Port-Type Virtual, Calling-Station-Id the client IP, the device MAC in Cisco-AVPair mdm-tlv=device-mac.
     */
    VPN,
    /**
     * VPN user login through a proxy (NetScaler, FortiGate): User-Name is the user, PAP User-Password
     * {@link #LOGIN_PASSWORD} (the home server behind the proxy accepts it for every user), Service-Type Framed,
     * NAS-Port-Type Virtual, Calling-Station-Id the device MAC in RFC 3580 form (FortiGate's
     * {@code call-station-id-type mac}).
     */
    LOGIN,
    /**
     * 802.1X EAP-TLS over RADIUS: whole conversations (identity, TLS handshake in EAP-TLS fragments, EAP-Success with
     * MS-MPPE keys), run by {@link io.nacgw.loadgen.eap.EapTlsLoadGenerator}, which builds its own requests.
     */
    EAP_TLS;

    /** The password every {@link #LOGIN} request carries. */
    public static final String LOGIN_PASSWORD = "loadgen-password";

    private static final byte[] NAS_IP = {127, 0, 0, 1};
    private static final String CALLED = "00-00-5E-00-53-01";

    /** The attributes of one request (User-Password in plain text; the codec hides it). */
    public List<RadiusAttribute> attributes(long mac, String user, int nasPort) {
        if (this == EAP_TLS) {
            throw new IllegalStateException("EAP-TLS conversations build their own requests");
        }
        List<RadiusAttribute> a = new ArrayList<>(10);
        if (this == MAB) {
            String hex = Targets.hex12(mac);
            a.add(RadiusAttribute.text(RadiusCodec.USER_NAME, hex));
            a.add(new RadiusAttribute(RadiusCodec.USER_PASSWORD, hex.getBytes(StandardCharsets.US_ASCII)));
            a.add(RadiusAttribute.integer(RadiusCodec.SERVICE_TYPE, 10)); // Call-Check
            a.add(RadiusAttribute.text(RadiusCodec.CALLING_STATION_ID, Targets.rfc3580(mac)));
            a.add(RadiusAttribute.text(RadiusCodec.CALLED_STATION_ID, CALLED));
            a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT_TYPE, 15)); // Ethernet
        } else if (this == LOGIN) {
            a.add(RadiusAttribute.text(RadiusCodec.USER_NAME, user));
            a.add(new RadiusAttribute(RadiusCodec.USER_PASSWORD, LOGIN_PASSWORD.getBytes(StandardCharsets.US_ASCII)));
            a.add(RadiusAttribute.integer(RadiusCodec.SERVICE_TYPE, 2)); // Framed
            a.add(RadiusAttribute.text(RadiusCodec.CALLING_STATION_ID, Targets.rfc3580(mac)));
            a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT_TYPE, 5)); // Virtual
        } else {
            a.add(RadiusAttribute.text(RadiusCodec.USER_NAME, user));
            a.add(RadiusAttribute.integer(RadiusCodec.SERVICE_TYPE, 17)); // Authorize-Only
            a.add(RadiusAttribute.text(RadiusCodec.CALLING_STATION_ID, "198.51.100." + (1 + nasPort % 254)));
            a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT_TYPE, 5)); // Virtual
            String dashed = Targets.rfc3580(mac).toLowerCase(java.util.Locale.ROOT);
            a.add(RadiusAttribute.vendorSpecific(RadiusCodec.VENDOR_CISCO, RadiusCodec.CISCO_AVPAIR,
                    ("mdm-tlv=device-mac=" + dashed).getBytes(StandardCharsets.US_ASCII)));
            a.add(RadiusAttribute.vendorSpecific(RadiusCodec.VENDOR_CISCO, RadiusCodec.CISCO_AVPAIR,
                    "mdm-tlv=device-platform=win".getBytes(StandardCharsets.US_ASCII)));
        }
        a.add(new RadiusAttribute(RadiusCodec.NAS_IP_ADDRESS, NAS_IP.clone()));
        a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT, nasPort));
        a.add(RadiusAttribute.text(RadiusCodec.NAS_IDENTIFIER, "nacgw-loadgen"));
        return a;
    }
}
