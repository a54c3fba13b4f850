package io.nacgw.core.policy;

import java.util.Locale;

/** Machine-readable reasons a decision carries, each with one sentence for people. Declared most important first. */
public enum ReasonCode {
    DEVICE_UNKNOWN("the device is not known to the MDM; enrol it"),
    DEVICE_RETIRED("the device was retired from the MDM; enrol it again"),
    NOT_MANAGED("the device is not managed by the MDM; enrol it"),
    REGISTRATION_HELD("the device's MDM registration is revoked, awaiting approval, being reset or pending "
            + "enrolment; complete or renew it"),
    JAILBROKEN("the device is jailbroken or rooted"),
    THREAT_LEVEL_TOO_HIGH("the device's threat level is above what this network allows"),
    PLATFORM_NOT_ALLOWED("the device's platform is not allowed on this network"),
    OWNERSHIP_NOT_ALLOWED("the device's ownership is not allowed on this network"),
    NONCOMPLIANT("the device is not compliant with its compliance policies"),
    GRACE_PERIOD_EXPIRED("the device's compliance grace period has ended"),
    NO_POLICY_ASSIGNED("no compliance policy is assigned to the device"),
    CHECK_IN_STALE("the device has not checked in with the MDM recently enough"),
    NOT_ENCRYPTED("the device's storage is not encrypted"),
    COMPLIANCE_UNKNOWN("the device's compliance has not been evaluated yet"),
    COMPLIANCE_CONFLICT("the device's compliance policies conflict"),
    COMPLIANCE_ERROR("the MDM reported an error evaluating the device's compliance"),
    CONFIG_MANAGER("the device's compliance is managed by Configuration Manager"),
    IN_GRACE_PERIOD("the device is noncompliant but within its grace period"),
    COMPLIANT("the device is managed and compliant");

    private final String sentence;
    private final String wire = name().toLowerCase(Locale.ROOT);

    ReasonCode(String sentence) {
        this.sentence = sentence;
    }

    /** One human sentence, lower case, no trailing period. */
    public String sentence() {
        return sentence;
    }

    /** snake_case code for JSON, audit logs and RADIUS Reply-Message suffixes. */
    public String wireName() {
        return wire;
    }
}
