package io.nacgw.radius;

import io.nacgw.core.secret.Secret;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One NAS (switch, WLC, VPN concentrator) allowed to talk to nacgw, matched by source address. Immutable;
 * {@link #toString()} prints no secret.
 *
 * @param name                         label in logs, audit and the session table
 * @param address                      source address or network (longest prefix wins across clients)
 * @param secrets                      one or two shared secrets; two while rotating (the first signs replies to
 *                                     requests that carry no Message-Authenticator)
 * @param requireMessageAuthenticator  drop Access-Requests without Message-Authenticator (BlastRADIUS)
 * @param limitProxyState              drop Access-Requests carrying Proxy-State without Message-Authenticator
 * @param vendor                       which vendor reply attributes the NAS understands
 * @param identitySources              where to find the device identifier, in order
 * @param vendorIdentity               the vendor attribute for {@link IdentitySource#VENDOR_ATTRIBUTE}, or null
 * @param defaultProfile               policy profile used when no rule matches
 * @param profileRules                 SSID / NAS-Port-Type refinements, first match wins
 * @param coaPort                      the NAS's CoA/Disconnect port (3799; Cisco often 1700)
 * @param coaSecret                    secret for CoA, or null to use the first shared secret
 * @param nasIdentity                  how the NASes behind this client are told apart (sessions, Accounting-On/Off)
 * @param coaAddress                   where the NAS listens for CoA when not at its source address, or null
 * @param coaAction                    what a CoA asks of the NAS; null picks the vendor's default (Cisco:
 *                                     reauthenticate, others: disconnect)
 * @param certificateName              the certificate name (subject CN or a DNS SAN) a RadSec (RADIUS over TLS)
 *                                     NAS presents; null: the client's {@code name}
 * @param authenticateWith             the {@code radius.upstreams} pool that authenticates this client's user logins
 *                                     (PAP, CHAP, MS-CHAP, EAP), or null for the profile's {@code authenticateWith}
 * @param overTls                      true for the view of a RadSec connection ({@link #overTls}): its requests came
 *                                     over TLS, and so do its sessions' CoA
 */
public record NasClient(String name, Cidr address, List<Secret> secrets, boolean requireMessageAuthenticator,
                        boolean limitProxyState, VendorProfile vendor, List<IdentitySource> identitySources,
                        VendorIdentity vendorIdentity, String defaultProfile, List<ProfileRule> profileRules,
                        int coaPort, Secret coaSecret, InetAddress coaAddress, CoaAction coaAction,
                        NasIdentity nasIdentity, String certificateName, String authenticateWith,
                        boolean overTls) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public NasClient {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("radius.clients name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String key = "radius.clients." + name + ".";
        Objects.requireNonNull(address, key + "address");
        secrets = List.copyOf(Objects.requireNonNull(secrets, key + "secrets"));
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException(key + "secrets must hold one or two secrets, got " + secrets.size());
        }
        if (!requireMessageAuthenticator && !limitProxyState) {
            throw new IllegalArgumentException(key + "requireMessageAuthenticator and limitProxyState are both off: "
                    + "the client would be open to BlastRADIUS (CVE-2024-3596); turn one on");
        }
        Objects.requireNonNull(vendor, key + "vendor");
        identitySources = List.copyOf(Objects.requireNonNull(identitySources, key + "identitySources"));
        if (identitySources.isEmpty()) {
            throw new IllegalArgumentException(key + "identitySources must name at least one source");
        }
        if (identitySources.stream().distinct().count() != identitySources.size()) {
            throw new IllegalArgumentException(key + "identitySources names a source twice: " + identitySources);
        }
        if (identitySources.contains(IdentitySource.VENDOR_ATTRIBUTE) && vendorIdentity == null) {
            throw new IllegalArgumentException(key + "identitySources uses vendor-attribute but vendorIdentity is not set");
        }
        if (defaultProfile == null || defaultProfile.isBlank()) {
            throw new IllegalArgumentException(key + "profile is required");
        }
        profileRules = List.copyOf(Objects.requireNonNull(profileRules, key + "profileRules"));
        if (coaPort < 1 || coaPort > 65535) {
            throw new IllegalArgumentException(key + "coaPort must be 1-65535, got " + coaPort);
        }
        if (coaAction == null) {
            coaAction = CoaAction.defaultFor(vendor);
        } else if (!coaAction.supportedBy(vendor)) {
            throw new IllegalArgumentException(key + "coaAction " + coaAction.wireName() + " needs vendor cisco (vendor is "
                    + vendor.name().toLowerCase(java.util.Locale.ROOT) + "); use disconnect");
        }
        Objects.requireNonNull(nasIdentity, key + "nasIdentity");
        if (certificateName != null && (certificateName.isBlank() || certificateName.length() > 255
                || certificateName.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7F))) {
            throw new IllegalArgumentException(key + "certificateName must be 1-255 printable characters");
        }
        if (authenticateWith != null && authenticateWith.isBlank()) {
            throw new IllegalArgumentException(key + "authenticateWith must name a radius.upstreams pool");
        }
    }

    /** The name a RadSec NAS's certificate must carry to be this client. */
    public String effectiveCertificateName() {
        return certificateName != null ? certificateName : name;
    }

    /**
     * This client as seen over RadSec (RFC 6614 §2.3): the fixed shared secret {@code secret} instead of the
     * configured ones, and no Message-Authenticator demanded on Access-Requests (TLS protects every packet;
     * Proxy-State without one is still refused).
     */
    public NasClient overTls(Secret secret) {
        return new NasClient(name, address, List.of(secret), false, true, vendor, identitySources, vendorIdentity,
                defaultProfile, profileRules, coaPort, coaSecret, coaAddress, coaAction, nasIdentity, certificateName,
                authenticateWith, true);
    }

    /** A client with the defaults: MA required, generic vendor, default identity order, CoA on 3799. */
    public static Builder builder(String name, String addressOrCidr, String secret) {
        return new Builder(name, Cidr.parse(addressOrCidr), sharedSecret(secret));
    }

    /** A RADIUS shared secret as configured (UTF-8), 1 to 128 bytes; RFC 2865 wants at least 16 for real use. */
    public static Secret sharedSecret(String text) {
        return Secret.of(text, "a shared secret", 128);
    }

    /** The profile name for a request with this SSID and NAS-Port-Type (either may be null). */
    public String profileFor(String ssid, Integer nasPortType) {
        for (ProfileRule r : profileRules) {
            if (r.matches(ssid, nasPortType)) {
                return r.profile();
            }
        }
        return defaultProfile;
    }

    /** Parses a single IP address literal (no DNS) for the config key {@code key}. */
    public static InetAddress ipLiteral(String key, String text) {
        Cidr c;
        try {
            c = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " '" + text + "' is not an IPv4 or IPv6 address");
        }
        if (text.contains("/")) {
            throw new IllegalArgumentException(key + " '" + text + "' must be one address, not a network");
        }
        return c.network();
    }

    /** The secret to use for CoA/Disconnect. */
    public Secret effectiveCoaSecret() {
        return coaSecret != null ? coaSecret : secrets.get(0);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private final String name;
        private final Cidr address;
        private List<Secret> secrets;
        private boolean requireMessageAuthenticator = true;
        private boolean limitProxyState = true;
        private VendorProfile vendor = VendorProfile.GENERIC;
        private List<IdentitySource> identitySources = IdentitySource.DEFAULT_ORDER;
        private VendorIdentity vendorIdentity;
        private String defaultProfile = "default";
        private List<ProfileRule> profileRules = List.of();
        private int coaPort = 3799;
        private Secret coaSecret;
        private InetAddress coaAddress;
        private CoaAction coaAction;
        private NasIdentity nasIdentity = NasIdentity.ATTRIBUTES;
        private String certificateName;
        private String authenticateWith;

        private Builder(String name, Cidr address, Secret secret) {
            this.name = name;
            this.address = address;
            this.secrets = List.of(secret);
        }

        /** Adds a second active secret (rotation). */
        public Builder nextSecret(String secret) { secrets = List.of(secrets.get(0), sharedSecret(secret)); return this; }
        public Builder requireMessageAuthenticator(boolean v) { requireMessageAuthenticator = v; return this; }
        public Builder limitProxyState(boolean v) { limitProxyState = v; return this; }
        public Builder vendor(VendorProfile v) { vendor = v; return this; }
        public Builder identitySources(List<IdentitySource> v) { identitySources = v; return this; }
        public Builder vendorIdentity(VendorIdentity v) { vendorIdentity = v; return this; }
        public Builder profile(String v) { defaultProfile = v; return this; }
        public Builder profileRules(List<ProfileRule> v) { profileRules = v; return this; }
        public Builder coaPort(int v) { coaPort = v; return this; }
        public Builder coaSecret(String v) { coaSecret = v == null ? null : sharedSecret(v); return this; }
        public Builder coaAddress(InetAddress v) { coaAddress = v; return this; }
        public Builder coaAction(CoaAction v) { coaAction = v; return this; }
        public Builder nasIdentity(NasIdentity v) { nasIdentity = v; return this; }
        public Builder certificateName(String v) { certificateName = v; return this; }
        public Builder authenticateWith(String pool) { authenticateWith = pool; return this; }

        public NasClient build() {
            return new NasClient(name, address, secrets, requireMessageAuthenticator, limitProxyState, vendor,
                    identitySources, vendorIdentity, defaultProfile, profileRules, coaPort, coaSecret, coaAddress,
                    coaAction, nasIdentity, certificateName, authenticateWith, false);
        }
    }
}
