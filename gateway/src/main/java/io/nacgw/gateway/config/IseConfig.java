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

    static IseConfig defaults() {
        return new IseConfig(null, null, null, null, null, null, null);
    }

    /** Settings; {@code fallbackRedirect} (the default profile's remediation URL) when none is configured. */
    public IseSettings settings(String fallbackRedirect, String version) {
        String redirect = redirectUrl != null ? redirectUrl : fallbackRedirect;
        if (redirect == null) {
            throw new IllegalArgumentException("ise.redirectUrl is required (or set remediationUrl on the default profile)");
        }
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
