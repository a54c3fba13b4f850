package io.nacgw.radius;

import java.util.Objects;

/**
 * Refines which policy profile applies to a request from a NAS client: the first rule whose conditions all match
 * wins; a null condition matches anything.
 *
 * @param ssid         the SSID after the last ':' of Called-Station-Id (RFC 3580 "AP-MAC:SSID"), case-insensitive
 * @param nasPortType  NAS-Port-Type value (15 Ethernet, 19 Wireless-802.11, 5 Virtual)
 * @param profile      the policy profile to use
 */
public record ProfileRule(String ssid, Integer nasPortType, String profile) {
    public ProfileRule {
        Objects.requireNonNull(profile, "profile");
        if (ssid != null && (ssid.isEmpty() || ssid.length() > 32)) {
            throw new IllegalArgumentException("ssid must be 1-32 characters");
        }
        if (nasPortType != null && nasPortType < 0) {
            throw new IllegalArgumentException("nasPortType must not be negative");
        }
        if (ssid == null && nasPortType == null) {
            throw new IllegalArgumentException("a profile rule for '" + profile + "' needs an ssid or a nasPortType");
        }
    }

    /** True when both conditions hold for a request ({@code ssid}/{@code nasPortType} null when absent). */
    public boolean matches(String requestSsid, Integer requestNasPortType) {
        return (ssid == null || ssid.equalsIgnoreCase(requestSsid))
                && (nasPortType == null || nasPortType.equals(requestNasPortType));
    }
}
