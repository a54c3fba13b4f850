package io.nacgw.gateway.config;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.nacapi.ise.IseSettings;

/**
 * {@code ise:} what the Cisco ISE MDM API announces in {@code mdminfo} and how it pages. Its {@code paging_info}
 * is the store sequence of the last device listed, a plain integer valid on every node of a shared store.
 */
public record IseConfig(String redirectUrl, Integer queryMaxSize, String vendor, String productName,
                        String productVersion, Integer busyWaitSeconds) {

    /** Where Intune sends users to fix a device; the redirect_url when nothing else is configured. */
    public static final String INTUNE_NAC_PORTAL = "https://portal.manage.microsoft.com/networkaccesscontrol/index";

    static IseConfig defaults() {
        return new IseConfig(null, null, null, null, null, null);
    }

    /** The default profile's remediation URL, else its enrolment URL (null when it has neither). */
    public static String redirectFallback(AccessPolicy policy) {
        String r = policy.defaultProfile().remediationUrl();
        return r != null ? r : policy.defaultProfile().enrollmentUrl();
    }

    /**
     * Settings; without {@code ise.redirectUrl}, {@code fallbackRedirect} (the default profile's remediation or
     * enrolment URL), else Intune's NAC portal.
     */
    public IseSettings settings(String fallbackRedirect, String version) {
        String redirect = redirectUrl != null ? redirectUrl : fallbackRedirect != null ? fallbackRedirect : INTUNE_NAC_PORTAL;
        IseSettings d = IseSettings.defaults(redirect);
        return new IseSettings(redirect, queryMaxSize != null ? queryMaxSize : d.queryMaxSize(),
                vendor != null ? vendor : d.vendor(), productName != null ? productName : d.productName(),
                productVersion != null ? productVersion : version, busyWaitSeconds != null ? busyWaitSeconds : d.busyWaitSeconds());
    }
}
