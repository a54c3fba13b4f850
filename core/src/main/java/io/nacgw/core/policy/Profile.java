package io.nacgw.core.policy;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One named network (e.g. {@code corp-wifi}, {@code vpn}) with its requirements and what each verdict means on the
 * wire. Immutable and validated at construction; {@link #decide} is allocation-light and thread-safe.
 */
public final class Profile {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final long DAY_MS = 86_400_000L;

    private final String name;
    private final Verdict unknownDevice;
    private final Verdict unmanaged;
    private final Verdict noncompliant;
    private final Verdict indeterminate;
    private final boolean noPolicyMeansCompliant;
    private final boolean registrationHeldIsManaged;
    private final int maxDaysSinceCheckIn;
    private final Set<Platform> allowedPlatforms;
    private final Set<Platform> blockedPlatforms;
    private final Set<Ownership> allowedOwnership;
    private final ThreatLevel maxThreatLevel;
    private final boolean denyJailbroken;
    private final boolean requireEncryption;
    private final String enrollmentUrl;
    private final String remediationUrl;
    private final ResponseAttributes allow;
    private final ResponseAttributes quarantine;
    private final ResponseAttributes deny;
    /** Decisions that do not depend on the device, built once: the answer for an unknown and a clean device. */
    private final Decision unknownDecision;
    private final Decision compliantDecision;

    private Profile(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile name '" + name
                    + "' must be 1-63 lower-case letters, digits, '.', '_' or '-'");
        }
        this.unknownDevice = blockOnly("unknownDevice", b.unknownDevice);
        this.unmanaged = blockOnly("unmanaged", b.unmanaged);
        this.noncompliant = blockOnly("noncompliant", b.noncompliant);
        this.indeterminate = Objects.requireNonNull(b.indeterminate, key("indeterminate"));
        this.noPolicyMeansCompliant = b.noPolicyMeansCompliant;
        this.registrationHeldIsManaged = b.registrationHeldIsManaged;
        if (b.maxDaysSinceCheckIn < 0 || b.maxDaysSinceCheckIn > 365) {
            throw new IllegalArgumentException(key("maxDaysSinceCheckIn") + " must be 0 (off) to 365, got "
                    + b.maxDaysSinceCheckIn);
        }
        this.maxDaysSinceCheckIn = b.maxDaysSinceCheckIn;
        this.allowedPlatforms = immutable(b.allowedPlatforms, Platform.class);
        this.blockedPlatforms = immutable(b.blockedPlatforms, Platform.class);
        Set<Platform> both = EnumSet.noneOf(Platform.class);
        both.addAll(allowedPlatforms);
        both.retainAll(blockedPlatforms);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException(key("allowedPlatforms") + " and " + key("blockedPlatforms")
                    + " both name " + both);
        }
        this.allowedOwnership = immutable(b.allowedOwnership, Ownership.class);
        if (b.maxThreatLevel == ThreatLevel.UNKNOWN) {
            throw new IllegalArgumentException(key("maxThreatLevel") + " must be secured, low, medium or high");
        }
        this.maxThreatLevel = b.maxThreatLevel;
        this.denyJailbroken = b.denyJailbroken;
        this.requireEncryption = b.requireEncryption;
        this.enrollmentUrl = url("enrollmentUrl", b.enrollmentUrl);
        this.remediationUrl = url("remediationUrl", b.remediationUrl);
        this.allow = Objects.requireNonNull(b.allow, key("allow"));
        this.quarantine = Objects.requireNonNull(b.quarantine, key("quarantine"));
        this.deny = Objects.requireNonNull(b.deny, key("deny"));
        boolean quarantineUsed = unknownDevice == Verdict.QUARANTINE || unmanaged == Verdict.QUARANTINE
                || noncompliant == Verdict.QUARANTINE || indeterminate == Verdict.QUARANTINE;
        if (quarantineUsed && quarantine.vlan() == null && quarantine.filterId() == null && quarantine.role() == null
                && quarantine.redirectUrl() == null) {
            throw new IllegalArgumentException(key("quarantine") + " is used by a rule but sets no vlan, filterId, "
                    + "role or redirectUrl: a quarantined device would get unrestricted access");
        }
        this.unknownDecision = evaluate(null, 0, null);
        this.compliantDecision = new Acc(null).finish();
    }

    private String key(String field) {
        return "policy.profiles." + name + "." + field;
    }

    private Verdict blockOnly(String field, Verdict v) {
        Objects.requireNonNull(v, key(field));
        if (v == Verdict.ALLOW) {
            throw new IllegalArgumentException(key(field) + " must be deny or quarantine");
        }
        return v;
    }

    private String url(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (!(v.startsWith("https://") || v.startsWith("http://"))) {
            throw new IllegalArgumentException(key(field) + " must be an http(s) URL, got '" + v + "'");
        }
        return v;
    }

    private static <E extends Enum<E>> Set<E> immutable(Set<E> in, Class<E> type) {
        return in == null || in.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(in));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public ResponseAttributes attributesFor(Verdict v) {
        return v == Verdict.ALLOW ? allow : v == Verdict.QUARANTINE ? quarantine : deny;
    }

    public String enrollmentUrl() {
        return enrollmentUrl;
    }

    public String remediationUrl() {
        return remediationUrl;
    }

    /**
     * Decides for {@code device} (null when unknown) at {@code nowMillis} (epoch ms). The common answers (unknown
     * device, clean device) are shared immutable objects, so the hot path allocates nothing for them.
     */
    public Decision decide(DeviceRecord device, long nowMillis) {
        if (device == null) {
            return unknownDecision;
        }
        return isClean(device, nowMillis) ? compliantDecision : evaluate(device, nowMillis, null);
    }

    /** True when no rule fires: exactly the devices {@link #evaluate} answers with a bare COMPLIANT allow. */
    private boolean isClean(DeviceRecord d, long now) {
        if (d.managementState() != ManagementState.MANAGED || d.complianceState() != ComplianceState.COMPLIANT
                || !d.policyAssigned()) {
            return false;
        }
        if (maxDaysSinceCheckIn > 0) {
            long last = d.lastCheckInEpochMilli();
            if (last == Long.MIN_VALUE || now - last > maxDaysSinceCheckIn * DAY_MS) {
                return false;
            }
        }
        Platform p = d.platform();
        if (!blockedPlatforms.isEmpty() && blockedPlatforms.contains(p)
                || !allowedPlatforms.isEmpty() && !allowedPlatforms.contains(p)) {
            return false;
        }
        if (!allowedOwnership.isEmpty() && !allowedOwnership.contains(d.ownership())) {
            return false;
        }
        if (maxThreatLevel != null && d.threatLevel().exceeds(maxThreatLevel)) {
            return false;
        }
        return !(denyJailbroken && d.jailbroken()) && !(requireEncryption && !d.encrypted());
    }

    /** Decides and records every rule's outcome in words. */
    public Explanation explain(DeviceRecord device, Instant now) {
        List<Explanation.Step> steps = new ArrayList<>();
        Decision d = evaluate(device, now.toEpochMilli(), steps);
        return new Explanation(d, steps);
    }

    private Decision evaluate(DeviceRecord d, long now, List<Explanation.Step> trace) {
        Acc acc = new Acc(trace);
        if (d == null) {
            acc.fire(Rule.KNOWN_DEVICE, ReasonCode.DEVICE_UNKNOWN, unknownDevice, "no device with this identifier");
            acc.skipRest(Rule.MANAGED, "no device");
            return acc.finish();
        }
        acc.pass(Rule.KNOWN_DEVICE, trace == null ? null : "found " + d.deviceId()
                + d.deviceName().map(n -> " '" + n + "'").orElse(""));
        ManagementState ms = d.managementState();
        if (ms == ManagementState.REGISTRATION_HELD && registrationHeldIsManaged) {
            acc.pass(Rule.MANAGED, "management state is registrationHeld (registration not in effect); this profile "
                    + "counts that as managed (registrationHeld: managed)");
        } else if (ms != ManagementState.MANAGED) {
            ReasonCode code = ms == ManagementState.RETIRED ? ReasonCode.DEVICE_RETIRED
                    : ms == ManagementState.REGISTRATION_HELD ? ReasonCode.REGISTRATION_HELD : ReasonCode.NOT_MANAGED;
            acc.fire(Rule.MANAGED, code, unmanaged, ms != ManagementState.REGISTRATION_HELD
                    ? "management state is " + ms.wireName()
                    : "management state is registrationHeld (Intune's deviceRegistrationState is revoked, "
                    + "approvalPending, certificateReset or notRegisteredPendingEnrollment); this profile counts that "
                    + "as unmanaged (registrationHeld: unmanaged)");
            acc.skipRest(Rule.COMPLIANCE_STATE, "device is not managed");
            return acc.finish();
        } else {
            acc.pass(Rule.MANAGED, "management state is managed");
        }
        complianceState(d, now, acc);
        if (maxDaysSinceCheckIn > 0) {
            long last = d.lastCheckInEpochMilli();
            if (last == Long.MIN_VALUE) {
                acc.fire(Rule.CHECK_IN, ReasonCode.CHECK_IN_STALE, noncompliant, "the device never checked in");
            } else if (now - last > maxDaysSinceCheckIn * DAY_MS) {
                acc.fire(Rule.CHECK_IN, ReasonCode.CHECK_IN_STALE, noncompliant, trace == null ? null
                        : "last check-in " + d.lastCheckIn().get() + " is more than " + maxDaysSinceCheckIn + " days ago");
            } else {
                acc.pass(Rule.CHECK_IN, trace == null ? null : "last check-in " + d.lastCheckIn().get());
            }
        } else {
            acc.pass(Rule.CHECK_IN, "not required by this profile");
        }
        Platform p = d.platform();
        if (blockedPlatforms.contains(p) || (!allowedPlatforms.isEmpty() && !allowedPlatforms.contains(p))) {
            acc.fire(Rule.PLATFORM, ReasonCode.PLATFORM_NOT_ALLOWED, Verdict.DENY, trace == null ? null
                    : "platform " + p.wireName() + (blockedPlatforms.contains(p) ? " is blocked" : " is not in " + names(allowedPlatforms)));
        } else {
            acc.pass(Rule.PLATFORM, trace == null ? null : "platform " + p.wireName());
        }
        Ownership o = d.ownership();
        if (!allowedOwnership.isEmpty() && !allowedOwnership.contains(o)) {
            acc.fire(Rule.OWNERSHIP, ReasonCode.OWNERSHIP_NOT_ALLOWED, Verdict.DENY, trace == null ? null
                    : "ownership " + o.wireName() + " is not in " + names(allowedOwnership));
        } else {
            acc.pass(Rule.OWNERSHIP, trace == null ? null : "ownership " + o.wireName());
        }
        ThreatLevel t = d.threatLevel();
        if (maxThreatLevel != null && t.exceeds(maxThreatLevel)) {
            acc.fire(Rule.THREAT_LEVEL, ReasonCode.THREAT_LEVEL_TOO_HIGH, Verdict.DENY, trace == null ? null
                    : "threat level " + t.wireName() + " is above " + maxThreatLevel.wireName());
        } else {
            acc.pass(Rule.THREAT_LEVEL, trace == null ? null : maxThreatLevel == null ? "not checked by this profile"
                    : "threat level " + t.wireName() + (t == ThreatLevel.UNKNOWN ? " (no MTD report)" : "")
                    + " within " + maxThreatLevel.wireName());
        }
        if (denyJailbroken && d.jailbroken()) {
            acc.fire(Rule.JAILBREAK, ReasonCode.JAILBROKEN, Verdict.DENY, "the MDM reports the device jailbroken");
        } else {
            acc.pass(Rule.JAILBREAK, !denyJailbroken ? "not checked by this profile"
                    : d.jailbreakKnown() ? "not jailbroken" : "not reported by the MDM (counted as not jailbroken)");
        }
        if (requireEncryption && !d.encrypted()) {
            acc.fire(Rule.ENCRYPTION, ReasonCode.NOT_ENCRYPTED, noncompliant, d.encryptionKnown()
                    ? "storage is not encrypted" : "the MDM has not reported storage encryption");
        } else {
            acc.pass(Rule.ENCRYPTION, requireEncryption ? "storage is encrypted" : "not required by this profile");
        }
        return acc.finish();
    }

    private void complianceState(DeviceRecord d, long now, Acc acc) {
        ComplianceState cs = d.complianceState();
        switch (cs) {
            case COMPLIANT:
                if (d.policyAssigned()) {
                    acc.pass(Rule.COMPLIANCE_STATE, "compliant");
                } else if (noPolicyMeansCompliant) {
                    acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.NO_POLICY_ASSIGNED, Verdict.ALLOW,
                            "no compliance policy assigned; this profile counts that as compliant");
                } else {
                    acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.NO_POLICY_ASSIGNED, noncompliant,
                            "no compliance policy assigned; this profile counts that as noncompliant");
                }
                return;
            case IN_GRACE_PERIOD: {
                long expiry = d.graceExpiryEpochMilli();
                if (expiry != Long.MIN_VALUE && now < expiry) {
                    acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.IN_GRACE_PERIOD, Verdict.ALLOW, acc.tracing()
                            ? "in grace period until " + d.graceExpiry().get() : null);
                } else {
                    acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.GRACE_PERIOD_EXPIRED, noncompliant, acc.tracing()
                            ? (expiry == Long.MIN_VALUE ? "in grace period with no expiry recorded"
                            : "grace period ended " + d.graceExpiry().get()) : null);
                }
                return;
            }
            case NONCOMPLIANT:
                acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.NONCOMPLIANT, noncompliant, "noncompliant");
                return;
            case UNKNOWN:
                acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.COMPLIANCE_UNKNOWN, indeterminate, "state unknown");
                return;
            case CONFLICT:
                acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.COMPLIANCE_CONFLICT, indeterminate, "state conflict");
                return;
            case ERROR:
                acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.COMPLIANCE_ERROR, indeterminate, "state error");
                return;
            case CONFIG_MANAGER:
                acc.fire(Rule.COMPLIANCE_STATE, ReasonCode.CONFIG_MANAGER, indeterminate, "state configManager");
                return;
            default:
                throw new AssertionError(cs);
        }
    }

    private static String names(Set<? extends Enum<?>> set) {
        StringBuilder sb = new StringBuilder("[");
        for (Enum<?> e : set) {
            sb.append(sb.length() == 1 ? "" : ", ").append(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(']').toString();
    }

    /** Accumulates the verdict, the reasons and the primary reason while the rules run. */
    private final class Acc {
        private final List<Explanation.Step> trace;
        private Verdict verdict = Verdict.ALLOW;
        private long bits;
        private ReasonCode primary;

        Acc(List<Explanation.Step> trace) {
            this.trace = trace;
        }

        boolean tracing() {
            return trace != null;
        }

        void pass(Rule rule, String detail) {
            if (trace != null) {
                trace.add(new Explanation.Step(rule, false, Verdict.ALLOW, detail));
            }
        }

        void fire(Rule rule, ReasonCode code, Verdict action, String detail) {
            bits |= 1L << code.ordinal();
            if (primary == null || action.ordinal() > verdict.ordinal()
                    || (action == verdict && code.ordinal() < primary.ordinal())) {
                primary = code;
            }
            verdict = verdict.worst(action);
            if (trace != null) {
                trace.add(new Explanation.Step(rule, action != Verdict.ALLOW, action, detail));
            }
        }

        void skipRest(Rule from, String why) {
            if (trace != null) {
                for (Rule r : Rule.values()) {
                    if (r.ordinal() >= from.ordinal()) {
                        trace.add(new Explanation.Step(r, false, Verdict.ALLOW, "not evaluated: " + why));
                    }
                }
            }
        }

        Decision finish() {
            if (primary == null) {
                primary = ReasonCode.COMPLIANT;
                bits |= 1L << ReasonCode.COMPLIANT.ordinal();
            }
            String remedy = null;
            if (verdict != Verdict.ALLOW) {
                boolean enrol = primary == ReasonCode.DEVICE_UNKNOWN || primary == ReasonCode.DEVICE_RETIRED
                        || primary == ReasonCode.NOT_MANAGED || primary == ReasonCode.REGISTRATION_HELD;
                remedy = enrol && enrollmentUrl != null ? enrollmentUrl : remediationUrl;
            }
            return new Decision(name, verdict, bits, primary, remedy, attributesFor(verdict));
        }
    }

    @Override
    public String toString() {
        return "Profile[" + name + "]";
    }

    /** Builder with Intune-like, fail-closed defaults. */
    public static final class Builder {
        private final String name;
        private Verdict unknownDevice = Verdict.DENY;
        private Verdict unmanaged = Verdict.DENY;
        private Verdict noncompliant = Verdict.DENY;
        private Verdict indeterminate = Verdict.DENY;
        private boolean noPolicyMeansCompliant = true;
        private boolean registrationHeldIsManaged;
        private int maxDaysSinceCheckIn = 30;
        private Set<Platform> allowedPlatforms = Set.of();
        private Set<Platform> blockedPlatforms = Set.of();
        private Set<Ownership> allowedOwnership = Set.of();
        private ThreatLevel maxThreatLevel;
        private boolean denyJailbroken = true;
        private boolean requireEncryption;
        private String enrollmentUrl;
        private String remediationUrl;
        private ResponseAttributes allow = ResponseAttributes.NONE;
        private ResponseAttributes quarantine = ResponseAttributes.NONE;
        private ResponseAttributes deny = ResponseAttributes.NONE;

        private Builder(String name) {
            this.name = name;
        }

        public Builder unknownDevice(Verdict v) { unknownDevice = v; return this; }
        public Builder unmanaged(Verdict v) { unmanaged = v; return this; }
        public Builder noncompliant(Verdict v) { noncompliant = v; return this; }
        public Builder indeterminate(Verdict v) { indeterminate = v; return this; }
        public Builder noPolicyMeansCompliant(boolean v) { noPolicyMeansCompliant = v; return this; }
        /**
         * Whether a device in {@link ManagementState#REGISTRATION_HELD} is evaluated as managed (its compliance
         * state and the other rules decide) instead of getting the {@code unmanaged} action; default false.
         */
        public Builder registrationHeldIsManaged(boolean v) { registrationHeldIsManaged = v; return this; }
        public Builder maxDaysSinceCheckIn(int v) { maxDaysSinceCheckIn = v; return this; }
        public Builder allowedPlatforms(Set<Platform> v) { allowedPlatforms = v; return this; }
        public Builder blockedPlatforms(Set<Platform> v) { blockedPlatforms = v; return this; }
        public Builder allowedOwnership(Set<Ownership> v) { allowedOwnership = v; return this; }
        public Builder maxThreatLevel(ThreatLevel v) { maxThreatLevel = v; return this; }
        public Builder denyJailbroken(boolean v) { denyJailbroken = v; return this; }
        public Builder requireEncryption(boolean v) { requireEncryption = v; return this; }
        public Builder enrollmentUrl(String v) { enrollmentUrl = v; return this; }
        public Builder remediationUrl(String v) { remediationUrl = v; return this; }
        public Builder allow(ResponseAttributes v) { allow = v; return this; }
        public Builder quarantine(ResponseAttributes v) { quarantine = v; return this; }
        public Builder deny(ResponseAttributes v) { deny = v; return this; }

        public Profile build() {
            return new Profile(this);
        }
    }
}
