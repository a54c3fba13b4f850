package io.nacgw.core.policy;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static io.nacgw.core.testing.TestDevices.NOW;
import static io.nacgw.core.testing.TestDevices.compliant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ProfileTest {
    private static final ResponseAttributes ALLOW = new ResponseAttributes("100", null, "employee", 28_800, null, null, null);
    private static final ResponseAttributes QUARANTINE = new ResponseAttributes("999", "QUARANTINE", null, 300,
            "https://remediate.example.com/", "REDIRECT-ACL", null);
    private static final long NOW_MS = NOW.toEpochMilli();

    private static Profile.Builder base() {
        return Profile.builder("corp-wifi").allow(ALLOW).quarantine(QUARANTINE)
                .enrollmentUrl("https://portal.manage.microsoft.com/").remediationUrl("https://remediate.example.com/");
    }

    private static Decision decide(Profile p, DeviceRecord.Builder d) {
        return p.decide(d == null ? null : d.build(), NOW_MS);
    }

    @Test
    void compliantManagedDevice_isAllowedWithAllowAttributes() {
        Decision d = decide(base().build(), compliant(1));
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(ReasonCode.COMPLIANT, d.primaryReason());
        assertEquals("100", d.attributes().vlan());
        assertNull(d.remediationUrl());
        assertEquals("Allowed: the device is managed and compliant.", d.message());
    }

    @Test
    void unknownDevice_deniedByDefault_quarantinedWhenConfigured_withEnrolmentUrl() {
        Decision deny = decide(base().build(), null);
        assertEquals(Verdict.DENY, deny.verdict());
        assertEquals(ReasonCode.DEVICE_UNKNOWN, deny.primaryReason());
        assertEquals("https://portal.manage.microsoft.com/", deny.remediationUrl());
        Decision q = decide(base().unknownDevice(Verdict.QUARANTINE).build(), null);
        assertEquals(Verdict.QUARANTINE, q.verdict());
        assertEquals("999", q.attributes().vlan());
    }

    @Test
    void unmanagedOrRetired_deniedOrQuarantined_withoutEvaluatingCompliance() {
        Decision d = decide(base().build(), compliant(1).managementState(ManagementState.UNMANAGED)
                .complianceState(ComplianceState.UNKNOWN));
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(java.util.List.of(ReasonCode.NOT_MANAGED), d.reasons());
        Decision r = decide(base().unmanaged(Verdict.QUARANTINE).build(), compliant(1).managementState(ManagementState.RETIRED));
        assertEquals(Verdict.QUARANTINE, r.verdict());
        assertEquals(ReasonCode.DEVICE_RETIRED, r.primaryReason());
        assertEquals("https://portal.manage.microsoft.com/", r.remediationUrl());
    }

    @Test
    void registrationHeld_unmanagedByDefault_withItsOwnReason_managedWhenTheProfileSaysSo() {
        DeviceRecord.Builder held = compliant(1).managementState(ManagementState.REGISTRATION_HELD);
        Decision d = decide(base().build(), held);
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(java.util.List.of(ReasonCode.REGISTRATION_HELD), d.reasons());
        assertEquals("registration_held", d.primaryReason().wireName());
        assertEquals("https://portal.manage.microsoft.com/", d.remediationUrl());
        assertEquals(Verdict.QUARANTINE, decide(base().unmanaged(Verdict.QUARANTINE).build(), held).verdict());
        Explanation e = base().build().explain(held.build(), NOW);
        assertTrue(e.steps().get(1).fired());
        assertTrue(e.steps().get(1).detail().contains("registrationHeld: unmanaged"), e.steps().get(1).detail());

        Profile managed = base().registrationHeldIsManaged(true).build();
        Decision m = decide(managed, held);
        assertEquals(Verdict.ALLOW, m.verdict());
        assertEquals(ReasonCode.COMPLIANT, m.primaryReason());
        assertEquals(ReasonCode.NONCOMPLIANT, decide(managed, compliant(1).managementState(
                ManagementState.REGISTRATION_HELD).complianceState(ComplianceState.NONCOMPLIANT)).primaryReason());
        Explanation me = managed.explain(held.build(), NOW);
        assertFalse(me.steps().get(1).fired());
        assertTrue(me.steps().get(1).detail().contains("registrationHeld: managed"), me.steps().get(1).detail());
    }

    @Test
    void noncompliant_deniedOrQuarantined_withRemediationUrl() {
        DeviceRecord.Builder nc = compliant(1).complianceState(ComplianceState.NONCOMPLIANT);
        assertEquals(Verdict.DENY, decide(base().build(), nc).verdict());
        Decision q = decide(base().noncompliant(Verdict.QUARANTINE).build(), nc);
        assertEquals(Verdict.QUARANTINE, q.verdict());
        assertEquals(ReasonCode.NONCOMPLIANT, q.primaryReason());
        assertEquals("https://remediate.example.com/", q.remediationUrl());
        assertEquals("REDIRECT-ACL", q.attributes().redirectAcl());
    }

    @Test
    void inGracePeriod_allowedUntilExpiry_thenNoncompliant() {
        DeviceRecord.Builder grace = compliant(1).complianceState(ComplianceState.IN_GRACE_PERIOD)
                .graceExpiry(NOW.plus(Duration.ofHours(1)));
        Decision before = decide(base().build(), grace);
        assertEquals(Verdict.ALLOW, before.verdict());
        assertEquals(ReasonCode.IN_GRACE_PERIOD, before.primaryReason());
        Decision after = base().build().decide(grace.build(), NOW.plus(Duration.ofHours(1)).toEpochMilli());
        assertEquals(Verdict.DENY, after.verdict());
        assertEquals(ReasonCode.GRACE_PERIOD_EXPIRED, after.primaryReason());
        Decision noExpiry = decide(base().build(), compliant(1).complianceState(ComplianceState.IN_GRACE_PERIOD));
        assertEquals(ReasonCode.GRACE_PERIOD_EXPIRED, noExpiry.primaryReason());
    }

    @Test
    void noPolicyAssigned_followsTenantSetting() {
        DeviceRecord.Builder none = compliant(1).policyAssigned(false);
        Decision asCompliant = decide(base().build(), none);
        assertEquals(Verdict.ALLOW, asCompliant.verdict());
        assertTrue(asCompliant.has(ReasonCode.NO_POLICY_ASSIGNED));
        Decision asNon = decide(base().noPolicyMeansCompliant(false).noncompliant(Verdict.QUARANTINE).build(), none);
        assertEquals(Verdict.QUARANTINE, asNon.verdict());
        assertEquals(ReasonCode.NO_POLICY_ASSIGNED, asNon.primaryReason());
    }

    @Test
    void indeterminateStates_failClosedByDefault_configurable() {
        for (ComplianceState s : new ComplianceState[]{ComplianceState.UNKNOWN, ComplianceState.CONFLICT,
                ComplianceState.ERROR, ComplianceState.CONFIG_MANAGER}) {
            assertEquals(Verdict.DENY, decide(base().build(), compliant(1).complianceState(s)).verdict(), s.name());
            assertEquals(Verdict.ALLOW, decide(base().indeterminate(Verdict.ALLOW).build(),
                    compliant(1).complianceState(s)).verdict(), s.name());
        }
        assertEquals(ReasonCode.COMPLIANCE_CONFLICT,
                decide(base().build(), compliant(1).complianceState(ComplianceState.CONFLICT)).primaryReason());
    }

    @Test
    void platforms_allowListAndBlockList() {
        Profile mobileOnly = base().allowedPlatforms(Set.of(Platform.IOS, Platform.ANDROID)).build();
        Decision d = decide(mobileOnly, compliant(1));
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(ReasonCode.PLATFORM_NOT_ALLOWED, d.primaryReason());
        assertEquals(Verdict.ALLOW, decide(mobileOnly, compliant(1).platform(Platform.IOS)).verdict());
        Profile noLinux = base().blockedPlatforms(Set.of(Platform.LINUX)).build();
        assertEquals(Verdict.DENY, decide(noLinux, compliant(1).platform(Platform.LINUX)).verdict());
        assertEquals(Verdict.ALLOW, decide(noLinux, compliant(1)).verdict());
    }

    @Test
    void ownership_corporateOnly() {
        Profile corpOnly = base().allowedOwnership(Set.of(Ownership.CORPORATE)).build();
        assertEquals(Verdict.ALLOW, decide(corpOnly, compliant(1)).verdict());
        Decision d = decide(corpOnly, compliant(1).ownership(Ownership.PERSONAL));
        assertEquals(ReasonCode.OWNERSHIP_NOT_ALLOWED, d.primaryReason());
        assertEquals(Verdict.DENY, d.verdict());
    }

    @Test
    void threatLevel_aboveMaximum_isDenied_unknownPasses() {
        Profile p = base().maxThreatLevel(ThreatLevel.LOW).build();
        assertEquals(Verdict.ALLOW, decide(p, compliant(1).threatLevel(ThreatLevel.LOW)).verdict());
        assertEquals(Verdict.ALLOW, decide(p, compliant(1).threatLevel(ThreatLevel.UNKNOWN)).verdict());
        Decision d = decide(p, compliant(1).threatLevel(ThreatLevel.MEDIUM));
        assertEquals(ReasonCode.THREAT_LEVEL_TOO_HIGH, d.primaryReason());
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(Verdict.ALLOW, decide(base().build(), compliant(1).threatLevel(ThreatLevel.HIGH)).verdict());
    }

    @Test
    void staleCheckIn_isNoncompliant_zeroDisables() {
        DeviceRecord.Builder old = compliant(1).lastCheckIn(NOW.minus(Duration.ofDays(31)));
        Decision d = decide(base().noncompliant(Verdict.QUARANTINE).build(), old);
        assertEquals(Verdict.QUARANTINE, d.verdict());
        assertEquals(ReasonCode.CHECK_IN_STALE, d.primaryReason());
        assertEquals(Verdict.ALLOW, decide(base().maxDaysSinceCheckIn(0).build(), old).verdict());
        assertEquals(Verdict.ALLOW, decide(base().build(), compliant(1).lastCheckIn(NOW.minus(Duration.ofDays(29)))).verdict());
        assertEquals(ReasonCode.CHECK_IN_STALE, decide(base().build(), compliant(1).lastCheckIn(null)).primaryReason());
    }

    @Test
    void jailbroken_isDenied_unlessDisabled() {
        assertEquals(ReasonCode.JAILBROKEN, decide(base().build(), compliant(1).jailbroken(true)).primaryReason());
        assertEquals(Verdict.ALLOW, decide(base().denyJailbroken(false).build(), compliant(1).jailbroken(true)).verdict());
    }

    @Test
    void encryptionRequired_unencryptedIsNoncompliant() {
        Profile p = base().requireEncryption(true).noncompliant(Verdict.QUARANTINE).build();
        assertEquals(Verdict.ALLOW, decide(p, compliant(1)).verdict());
        Decision d = decide(p, compliant(1).encrypted(false));
        assertEquals(Verdict.QUARANTINE, d.verdict());
        assertEquals(ReasonCode.NOT_ENCRYPTED, d.primaryReason());
    }

    @Test
    void worstVerdictWins_primaryIsTheReasonThatDecidedIt() {
        Profile p = base().noncompliant(Verdict.QUARANTINE).build();
        Decision d = decide(p, compliant(1).complianceState(ComplianceState.NONCOMPLIANT).jailbroken(true));
        assertEquals(Verdict.DENY, d.verdict());
        assertEquals(ReasonCode.JAILBROKEN, d.primaryReason());
        assertTrue(d.has(ReasonCode.NONCOMPLIANT));
        // NONCOMPLIANT is listed before NOT_ENCRYPTED, yet the DENY from encryption decides
        Profile q = base().requireEncryption(true).noncompliant(Verdict.QUARANTINE).indeterminate(Verdict.DENY).build();
        Decision e = decide(q, compliant(1).complianceState(ComplianceState.ERROR).encrypted(false));
        assertEquals(Verdict.DENY, e.verdict());
        assertEquals(ReasonCode.COMPLIANCE_ERROR, e.primaryReason());
    }

    @Test
    void explain_listsEveryRuleInWords() {
        Explanation x = base().build().explain(compliant(1).complianceState(ComplianceState.NONCOMPLIANT).build(), NOW);
        assertEquals(Rule.values().length, x.steps().size());
        String text = x.render();
        assertTrue(text.contains("verdict:  DENY"), text);
        assertTrue(text.contains("noncompliant"), text);
        assertTrue(text.contains("LAPTOP-1"), text);
        Explanation unknown = base().build().explain(null, NOW);
        assertTrue(unknown.render().contains("not evaluated: no device"), unknown.render());
        assertEquals(Rule.values().length, unknown.steps().size());
    }

    @Test
    void quarantineUsedWithoutRestriction_isRejectedAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Profile.builder("vpn").noncompliant(Verdict.QUARANTINE).build());
        assertTrue(e.getMessage().contains("policy.profiles.vpn.quarantine"), e.getMessage());
    }

    @Test
    void invalidSettings_areRejectedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Profile.builder("Bad Name").build())
                .getMessage().contains("Bad Name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base().unknownDevice(Verdict.ALLOW).build())
                .getMessage().contains("unknownDevice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base().maxDaysSinceCheckIn(400).build())
                .getMessage().contains("maxDaysSinceCheckIn"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base().allowedPlatforms(Set.of(Platform.IOS))
                .blockedPlatforms(Set.of(Platform.IOS)).build()).getMessage().contains("both name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base().enrollmentUrl("ftp://x").build())
                .getMessage().contains("enrollmentUrl"));
        assertThrows(IllegalArgumentException.class, () -> new ResponseAttributes(null, null, null, 10, null, null, null));
    }

    @Test
    void accessPolicy_unknownProfileAndDuplicates_areClearErrors() {
        Profile a = base().build();
        AccessPolicy policy = AccessPolicy.of(java.util.List.of(a, Profile.builder("vpn").build()), "corp-wifi");
        assertEquals("vpn", policy.profile("vpn").name());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy.profile("guest")).getMessage().contains("known"));
        assertThrows(IllegalArgumentException.class, () -> AccessPolicy.of(java.util.List.of(a, a), "corp-wifi"));
        assertThrows(IllegalArgumentException.class, () -> AccessPolicy.of(java.util.List.of(a), "vpn"));
        assertFalse(policy.has("guest"));
    }

    @Test
    void decide_sharedFastAnswers_agreeWithTheFullEvaluation() {
        java.util.Random rnd = new java.util.Random(5);
        Profile[] profiles = {base().build(), base().noncompliant(Verdict.QUARANTINE).requireEncryption(true)
                .maxThreatLevel(ThreatLevel.LOW).allowedOwnership(Set.of(Ownership.CORPORATE))
                .blockedPlatforms(Set.of(Platform.LINUX)).noPolicyMeansCompliant(false).build(),
                base().allowedPlatforms(Set.of(Platform.IOS, Platform.WINDOWS)).maxDaysSinceCheckIn(0).denyJailbroken(false).build()};
        for (int i = 0; i < 20_000; i++) {
            DeviceRecord d = compliant(i)
                    .managementState(rnd.nextInt(8) == 0 ? ManagementState.UNMANAGED : ManagementState.MANAGED)
                    .complianceState(rnd.nextInt(4) == 0 ? ComplianceState.values()[rnd.nextInt(7)] : ComplianceState.COMPLIANT)
                    .graceExpiry(rnd.nextBoolean() ? NOW.plusSeconds(rnd.nextInt(7200) - 3600) : null)
                    .policyAssigned(rnd.nextInt(10) != 0).platform(Platform.values()[rnd.nextInt(6)])
                    .ownership(Ownership.values()[rnd.nextInt(3)]).threatLevel(ThreatLevel.values()[rnd.nextInt(5)])
                    .jailbroken(rnd.nextInt(10) == 0).encrypted(rnd.nextInt(5) != 0)
                    .lastCheckIn(rnd.nextInt(10) == 0 ? null : NOW.minus(Duration.ofHours(rnd.nextInt(24 * 40)))).build();
            for (Profile p : profiles) {
                Decision fast = p.decide(d, NOW_MS);
                Decision full = p.explain(d, NOW).decision();
                assertEquals(full.verdict(), fast.verdict(), d + " on " + p);
                assertEquals(full.reasons(), fast.reasons(), d + " on " + p);
                assertEquals(full.primaryReason(), fast.primaryReason());
                assertEquals(full.attributes(), fast.attributes());
                assertEquals(full.remediationUrl(), fast.remediationUrl());
            }
        }
        for (Profile p : profiles) {
            assertEquals(p.explain(null, NOW).decision().reasons(), p.decide(null, NOW_MS).reasons());
        }
    }
}
