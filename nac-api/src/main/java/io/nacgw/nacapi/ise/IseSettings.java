package io.nacgw.nacapi.ise;

import java.util.Objects;

/**
 * What the Cisco ISE MDM API advertises in {@code mdminfo} and how it pages.
 *
 * @param redirectUrl     where ISE sends users to enrol or remediate (required, http(s))
 * @param queryMaxSize    most devices per listing page (default 1000; 1-5000)
 * @param vendor          mdminfo vendor (default "nacgw")
 * @param productName     mdminfo product_name (default "nacgw compliance gateway")
 * @param productVersion  mdminfo product_version
 * @param busyWaitSeconds server_busy_wait_seconds / Retry-After sent when shedding load (default 30)
 */
public record IseSettings(String redirectUrl, int queryMaxSize, String vendor, String productName,
                          String productVersion, int busyWaitSeconds) {
    public IseSettings {
        if (redirectUrl == null || !(redirectUrl.startsWith("https://") || redirectUrl.startsWith("http://"))) {
            throw new IllegalArgumentException("ise.redirectUrl must be an http(s) URL, got '" + redirectUrl + "'");
        }
        if (queryMaxSize < 1 || queryMaxSize > 5000) {
            throw new IllegalArgumentException("ise.queryMaxSize must be 1 to 5000, got " + queryMaxSize);
        }
        Objects.requireNonNull(vendor, "ise.vendor");
        Objects.requireNonNull(productName, "ise.productName");
        Objects.requireNonNull(productVersion, "ise.productVersion");
        if (busyWaitSeconds < 1 || busyWaitSeconds > 3600) {
            throw new IllegalArgumentException("ise.busyWaitSeconds must be 1 to 3600, got " + busyWaitSeconds);
        }
    }

    /** The defaults with the given remediation URL. */
    public static IseSettings defaults(String redirectUrl) {
        return new IseSettings(redirectUrl, 1000, "nacgw", "nacgw compliance gateway", "0.1.0", 30);
    }

    /** A copy with another page size. */
    public IseSettings withQueryMaxSize(int n) {
        return new IseSettings(redirectUrl, n, vendor, productName, productVersion, busyWaitSeconds);
    }
}
