package io.nacgw.gateway.config;

import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.policy.Verdict;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of {@code policy.profiles}: a network's requirements and its answers per verdict, and optionally the
 * {@code radius.upstreams} pool that checks the passwords of its user logins ({@code authenticateWith}; a NAS
 * client's own {@code authenticateWith} takes precedence).
 */
public record ProfileConfig(String unknownDevice, String unmanaged, String noncompliant, String indeterminate,
                            Boolean noPolicyMeansCompliant, Integer maxDaysSinceCheckIn, List<String> allowedPlatforms,
                            List<String> blockedPlatforms, List<String> allowedOwnership, String maxThreatLevel,
                            Boolean denyJailbroken, Boolean requireEncryption, String enrollmentUrl, String remediationUrl,
                            AttributesConfig allow, AttributesConfig quarantine, AttributesConfig deny,
                            String registrationHeld, String authenticateWith) {

    /** What a verdict means on the wire; see {@link ResponseAttributes}. */
    public record AttributesConfig(String vlan, String filterId, String role, Integer sessionTimeout, String redirectUrl,
                                   String redirectAcl, String replyMessage) {
        ResponseAttributes toAttributes() {
            return new ResponseAttributes(vlan, filterId, role, sessionTimeout, redirectUrl, redirectAcl, replyMessage);
        }
    }

    /** Builds the validated profile called {@code name}. */
    public Profile toProfile(String name) {
        String key = "policy.profiles." + name + ".";
        Profile.Builder b = Profile.builder(name);
        if (unknownDevice != null) b.unknownDevice(verdict(key + "unknownDevice", unknownDevice));
        if (unmanaged != null) b.unmanaged(verdict(key + "unmanaged", unmanaged));
        if (noncompliant != null) b.noncompliant(verdict(key + "noncompliant", noncompliant));
        if (indeterminate != null) b.indeterminate(verdict(key + "indeterminate", indeterminate));
        if (noPolicyMeansCompliant != null) b.noPolicyMeansCompliant(noPolicyMeansCompliant);
        if (registrationHeld != null) {
            switch (registrationHeld.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "unmanaged" -> b.registrationHeldIsManaged(false);
                case "managed" -> b.registrationHeldIsManaged(true);
                default -> throw new IllegalArgumentException(key + "registrationHeld must be unmanaged or managed, got '"
                        + registrationHeld + "'");
            }
        }
        if (maxDaysSinceCheckIn != null) b.maxDaysSinceCheckIn(maxDaysSinceCheckIn);
        if (allowedPlatforms != null) b.allowedPlatforms(platforms(key + "allowedPlatforms", allowedPlatforms));
        if (blockedPlatforms != null) b.blockedPlatforms(platforms(key + "blockedPlatforms", blockedPlatforms));
        if (allowedOwnership != null) {
            b.allowedOwnership(allowedOwnership.stream().map(o -> wrap(key + "allowedOwnership", () -> Ownership.fromWire(o)))
                    .collect(Collectors.toSet()));
        }
        if (maxThreatLevel != null) b.maxThreatLevel(wrap(key + "maxThreatLevel", () -> ThreatLevel.fromWire(maxThreatLevel)));
        if (denyJailbroken != null) b.denyJailbroken(denyJailbroken);
        if (requireEncryption != null) b.requireEncryption(requireEncryption);
        b.enrollmentUrl(enrollmentUrl).remediationUrl(remediationUrl);
        if (allow != null) b.allow(wrap(key + "allow", allow::toAttributes));
        if (quarantine != null) b.quarantine(wrap(key + "quarantine", quarantine::toAttributes));
        if (deny != null) b.deny(wrap(key + "deny", deny::toAttributes));
        return b.build();
    }

    private static Verdict verdict(String key, String v) {
        return wrap(key, () -> Verdict.fromWire(v));
    }

    private static Set<Platform> platforms(String key, List<String> names) {
        return names.stream().map(p -> wrap(key, () -> Platform.fromWire(p))).collect(Collectors.toSet());
    }

    private static <T> T wrap(String key, java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
