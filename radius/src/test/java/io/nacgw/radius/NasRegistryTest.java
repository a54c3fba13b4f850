package io.nacgw.radius;

import io.nacgw.core.secret.Secret;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class NasRegistryTest {
    private static NasClient client(String name, String cidr) {
        return NasClient.builder(name, cidr, "s3cret-" + name).profile("corp").build();
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void find_longestPrefixWins() throws Exception {
        NasRegistry r = NasRegistry.of(List.of(client("wide", "10.0.0.0/8"), client("site", "10.1.0.0/16"),
                client("wlc", "10.1.2.3"), client("any", "0.0.0.0/0")));
        assertEquals("wlc", r.find(ip("10.1.2.3")).name());
        assertEquals("site", r.find(ip("10.1.2.4")).name());
        assertEquals("wide", r.find(ip("10.200.0.1")).name());
        assertEquals("any", r.find(ip("192.0.2.1")).name());
    }

    @Test
    void find_ipv6AndV4Mapped() throws Exception {
        NasRegistry r = NasRegistry.of(List.of(client("v6", "2001:db8::/32"), client("v6host", "2001:db8::5"),
                client("v4", "192.0.2.0/24")));
        assertEquals("v6host", r.find(ip("2001:db8::5")).name());
        assertEquals("v6", r.find(ip("2001:db8:1::9")).name());
        assertNull(r.find(ip("2001:db9::1")));
        assertEquals("v4", r.find(InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF,
                (byte) 0xFF, (byte) 192, 0, 2, 7})).name(), "an IPv4-mapped IPv6 source matches the IPv4 client");
    }

    @Test
    void find_unknownSource_isNull() throws Exception {
        assertNull(NasRegistry.of(List.of(client("a", "10.0.0.0/8"))).find(ip("11.0.0.1")));
    }

    @Test
    void of_duplicateNetworkOrName_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> NasRegistry.of(List.of(client("a", "10.0.0.0/8"),
                client("b", "10.9.9.9/8"))));
        assertThrows(IllegalArgumentException.class, () -> NasRegistry.of(List.of(client("a", "10.0.0.0/8"),
                client("a", "11.0.0.0/8"))));
    }

    @Test
    void cidr_parse_masksHostBitsAndRejectsNames() {
        assertEquals("10.1.0.0/16", Cidr.parse("10.1.2.3/16").toString());
        assertTrue(Cidr.parse("10.1.0.0/16").contains(InetAddress.getLoopbackAddress()) == false);
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("nas.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
    }

    @Test
    void configNames_nullOrUnknown_areRefusedNamingTheValidOnes() {
        assertEquals(VendorProfile.CISCO, VendorProfile.fromName(" Cisco "));
        assertEquals(NasIdentity.SOURCE, NasIdentity.fromName("source"));
        assertEquals(IdentitySource.USER_NAME, IdentitySource.fromName("user-name"));
        for (String bad : new String[] {null, "", "juniper"}) {
            assertEquals("unknown vendor profile '" + bad + "' (expected generic, cisco or aruba)",
                    assertThrows(IllegalArgumentException.class, () -> VendorProfile.fromName(bad)).getMessage());
            assertEquals("unknown nasIdentity '" + bad + "' (expected attributes or source)",
                    assertThrows(IllegalArgumentException.class, () -> NasIdentity.fromName(bad)).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> IdentitySource.fromName(bad)).getMessage()
                    .startsWith("unknown identity source '" + bad + "' (expected cisco-device-uid, "));
        }
    }

    @Test
    void sharedSecret_isOneTo128Utf8Bytes() {
        assertEquals(128, NasClient.builder("sw", "10.0.0.1", "s".repeat(128)).build().secrets().get(0).length());
        assertEquals("a shared secret must be at most 128 bytes", assertThrows(IllegalArgumentException.class,
                () -> NasClient.builder("sw", "10.0.0.1", "s".repeat(129))).getMessage());
        assertEquals("a shared secret must not be empty", assertThrows(IllegalArgumentException.class,
                () -> NasClient.builder("sw", "10.0.0.1", "s").coaSecret("")).getMessage());
    }

    @Test
    void toString_neverPrintsSecrets() {
        NasClient c = NasClient.builder("sw", "10.0.0.1", "very-secret-value").nextSecret("next-secret-value")
                .coaSecret("coa-secret-value").profile("corp").build();
        String s = c + " " + NasRegistry.of(List.of(c)) + " " + c.secrets();
        assertFalse(s.contains("very-secret-value") || s.contains("next-secret-value") || s.contains("coa-secret-value"), s);
        assertTrue(s.contains("Secret[***]"));
    }

    @Test
    void secret_equalityIsByValue() {
        assertEquals(Secret.of("abc"), Secret.of("abc"));
        assertFalse(Secret.of("abc").equals(Secret.of("abd")));
        assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    }

    @Test
    void client_defaults() {
        NasClient c = NasClient.builder("sw", "10.0.0.1", "s").build();
        assertTrue(c.requireMessageAuthenticator());
        assertEquals(VendorProfile.GENERIC, c.vendor());
        assertEquals(IdentitySource.DEFAULT_ORDER, c.identitySources());
        assertEquals(3799, c.coaPort());
        assertEquals(Secret.of("s"), c.effectiveCoaSecret());
        assertEquals("default", c.defaultProfile());
    }

    @Test
    void client_blastRadiusUnprotected_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NasClient.builder("sw",
                "10.0.0.1", "s").requireMessageAuthenticator(false).limitProxyState(false).build());
        assertTrue(e.getMessage().contains("BlastRADIUS"));
    }

    @Test
    void client_vendorAttributeSourceWithoutAttribute_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> NasClient.builder("sw", "10.0.0.1", "s")
                .identitySources(List.of(IdentitySource.VENDOR_ATTRIBUTE)).build());
    }

    @Test
    void client_profileFor_firstMatchingRuleWins() {
        NasClient c = NasClient.builder("wlc", "10.0.0.1", "s").profile("corp").profileRules(List.of(
                new ProfileRule("Guest", 19, "guest-wifi"), new ProfileRule(null, 5, "vpn"),
                new ProfileRule("guest", null, "other"))).build();
        assertEquals("guest-wifi", c.profileFor("guest", 19));
        assertEquals("other", c.profileFor("guest", 15));
        assertEquals("vpn", c.profileFor(null, 5));
        assertEquals("corp", c.profileFor("corp-ssid", 19));
    }

    @Test
    void names_parseConfigSpellings() {
        assertEquals(IdentitySource.CISCO_DEVICE_UID, IdentitySource.fromName("cisco-device-uid"));
        assertEquals(VendorProfile.ARUBA, VendorProfile.fromName("Aruba"));
        assertThrows(IllegalArgumentException.class, () -> VendorProfile.fromName("juniper"));
    }

    @Test
    void settings_validateRanges() {
        assertThrows(IllegalArgumentException.class, () -> RadiusSettings.DEFAULTS.withPorts(1812, 1812));
        assertThrows(IllegalArgumentException.class, () -> RadiusSettings.DEFAULTS.withPorts(70000, 1813));
        assertThrows(IllegalArgumentException.class, () -> RadiusSettings.DEFAULTS.withTransport(true, 999));
        assertEquals(java.time.Duration.ofMillis(100), RadiusSettings.DEFAULTS.maxQueueDelay(), "on by default");
        assertEquals(java.time.Duration.ZERO, RadiusSettings.DEFAULTS.withMaxQueueDelay(java.time.Duration.ZERO)
                .maxQueueDelay());
        for (java.time.Duration bad : new java.time.Duration[] {java.time.Duration.ofNanos(1),
                java.time.Duration.ofSeconds(11), java.time.Duration.ofMillis(-5)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RadiusSettings.DEFAULTS.withMaxQueueDelay(bad));
            assertTrue(e.getMessage().startsWith("radius.maxQueueDelay must be"), e.getMessage());
        }
    }
}
