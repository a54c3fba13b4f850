package io.nacgw.core.policy;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Platform;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@link Decision#answerHash()}: what the NAS gets, stable across nodes, blind to what the NAS never sees. */
final class DecisionTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static DeviceRecord device(ComplianceState state, String name) {
        return DeviceRecord.builder().deviceId(DeviceGuid.intune("11111111-2222-4333-8444-000000000001"))
                .deviceName(name).platform(Platform.WINDOWS).managementState(ManagementState.MANAGED)
                .complianceState(state).lastCheckIn(NOW.minusSeconds(3600)).lastModified(NOW.minusSeconds(3600))
                .addMac(MacAddress.parse("00:11:22:33:44:01")).build();
    }

    private static Profile profile(ResponseAttributes allow) {
        return Profile.builder("corp").noncompliant(Verdict.QUARANTINE).allow(allow)
                .quarantine(new ResponseAttributes("999", null, null, null, null, null, null)).build();
    }

    private static final ResponseAttributes VLAN_100 = new ResponseAttributes("100", "acl", null, 3600, null, null, null);

    @Test
    void answerHash_isAFixedFunctionOfVerdictAndAttributes() {
        // a golden value (FNV-1a computed outside Java): every node and release fingerprints an answer alike
        Decision d = profile(VLAN_100).decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli());
        assertEquals(Verdict.ALLOW, d.verdict());
        assertEquals(0xad2a8ef454e70e64L, d.answerHash(), Long.toHexString(d.answerHash()));
    }

    @Test
    void answerHash_ignoresWhatTheNasNeverSees_andDiffersByVerdictOrAnyAttribute() {
        long allow = profile(VLAN_100).decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli()).answerHash();
        assertEquals(allow, profile(VLAN_100).decide(device(ComplianceState.COMPLIANT, "renamed"),
                NOW.toEpochMilli() + 1000).answerHash());
        assertNotEquals(allow, profile(VLAN_100).decide(device(ComplianceState.NONCOMPLIANT, "a"),
                NOW.toEpochMilli()).answerHash());
        assertNotEquals(allow, profile(new ResponseAttributes("101", "acl", null, 3600, null, null, null))
                .decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli()).answerHash());
        assertNotEquals(allow, profile(new ResponseAttributes("100", "acl", null, 7200, null, null, null))
                .decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli()).answerHash());
        // a value moving from one field to the next is another answer
        long inVlan = profile(new ResponseAttributes("x", null, null, null, null, null, null))
                .decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli()).answerHash();
        long inFilter = profile(new ResponseAttributes(null, "x", null, null, null, null, null))
                .decide(device(ComplianceState.COMPLIANT, "a"), NOW.toEpochMilli()).answerHash();
        assertNotEquals(inVlan, inFilter);
    }
}
