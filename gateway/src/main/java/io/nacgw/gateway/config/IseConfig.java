package io.nacgw.gateway.config;

import io.nacgw.nacapi.IseSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * {@code ise:} what the Cisco ISE MDM API announces in {@code mdminfo} and how it pages.
 *
 * @param pagingKeyFile file with the HMAC key for paging tokens (hex); nodes behind one VIP must share it.
 *                      Absent: a random key per start (tokens do not survive a restart)
 */
public record IseConfig(String redirectUrl, Integer queryMaxSize, String vendor, String productName,
                        String productVersion, Integer busyWaitSeconds, Path pagingKeyFile) {

    /** Where Intune sends users to fix a device; the redirect_url when nothing else is configured. */
    public static final String INTUNE_NAC_PORTAL = "https://portal.manage.microsoft.com/networkaccesscontrol/index";

    static IseConfig defaults() {
        return new IseConfig(null, null, null, null, null, null, null);
    }

    /**
     * Settings; without {@code ise.redirectUrl}, {@code fallbackRedirect} (the default profile's remediation or
     * enrolment URL), else Intune's NAC portal.
     */
    public IseSettings settings(String fallbackRedirect, String version) {
        String redirect = redirectUrl != null ? redirectUrl : fallbackRedirect != null ? fallbackRedirect : INTUNE_NAC_PORTAL;
        IseSettings d = IseSettings.defaults(redirect);
        byte[] key = d.pagingKey();
        if (pagingKeyFile != null) {
            try {
                key = HexFormat.of().parseHex(Files.readString(pagingKeyFile).strip());
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("ise.pagingKeyFile: cannot read a hex key from " + pagingKeyFile
                        + ": " + e.getMessage(), e);
            }
        }
        return new IseSettings(redirect, queryMaxSize != null ? queryMaxSize : d.queryMaxSize(),
                vendor != null ? vendor : d.vendor(), productName != null ? productName : d.productName(),
                productVersion != null ? productVersion : version, busyWaitSeconds != null ? busyWaitSeconds : d.busyWaitSeconds(),
                key);
    }
}
