package io.nacgw.radius;

import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.TestStores;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Platform;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.radius.audit.AuditSink;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;

/**
 * A real compliance world for tests: a temp-file SQLite store, the compliance index over it, the session table, a
 * two-profile policy, three known devices and a capturing audit sink.
 */
public final class TestWorld implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    public static final String SECRET = "testing123";
    public static final MacAddress COMPLIANT = MacAddress.parse("00:11:22:33:44:01");
    public static final MacAddress NONCOMPLIANT = MacAddress.parse("00:11:22:33:44:02");
    public static final MacAddress UNKNOWN = MacAddress.parse("00:11:22:33:44:0f");
    public static final DeviceGuid COMPLIANT_ID = DeviceGuid.intune("11111111-2222-4333-8444-000000000001");
    public static final DeviceGuid NONCOMPLIANT_ID = DeviceGuid.intune("11111111-2222-4333-8444-000000000002");
    public static final String REMEDIATION = "https://portal.example.com/fix";

    public final MutableClock clock = new MutableClock(NOW);
    public final StoreSettings storeSettings;
    public final ComplianceStore store;
    public final ComplianceService compliance;
    public final SessionStore sessions;
    public final AccessPolicy policy;
    public final List<String> audit = Collections.synchronizedList(new ArrayList<>());

    public TestWorld() {
        this(IndexSettings.DEFAULTS, List.of());
    }

    /** A world whose store holds the standard devices plus {@code extra}, indexed with {@code index}. */
    public TestWorld(IndexSettings index, List<DeviceRecord> extra) {
        storeSettings = TestStores.fresh(4);
        store = ComplianceStore.open(storeSettings);
        List<DeviceRecord> all = new ArrayList<>(List.of(
                device(COMPLIANT_ID, COMPLIANT, ComplianceState.COMPLIANT),
                device(NONCOMPLIANT_ID, NONCOMPLIANT, ComplianceState.NONCOMPLIANT)));
        all.addAll(extra);
        store.upsertAll(all);
        compliance = ComplianceService.start(store, index);
        sessions = SessionStore.open(storeSettings, clock);
        policy = AccessPolicy.of(List.of(
                Profile.builder("corp")
                        .remediationUrl(REMEDIATION)
                        .allow(new ResponseAttributes("100", "corp-acl", null, 3600, null, null, null))
                        .build(),
                Profile.builder("guest-wifi")
                        .noncompliant(Verdict.QUARANTINE)
                        .unknownDevice(Verdict.QUARANTINE)
                        .remediationUrl(REMEDIATION)
                        .allow(new ResponseAttributes("200", null, "employee", null, null, null, null))
                        .quarantine(new ResponseAttributes("999", null, "quarantine", null,
                                "https://portal.example.com/q", "REDIRECT-ACL", null))
                        .build()), "corp");
    }

    /** A managed device that checked in an hour ago. */
    public static DeviceRecord device(DeviceGuid id, MacAddress mac, ComplianceState state) {
        return DeviceRecord.builder()
                .deviceId(id)
                .deviceName("dev-" + mac.toHex12())
                .platform(Platform.WINDOWS)
                .managementState(ManagementState.MANAGED)
                .complianceState(state)
                .lastCheckIn(NOW.minus(Duration.ofHours(1)))
                .lastModified(NOW.minus(Duration.ofHours(1)))
                .addMac(mac)
                .build();
    }

    /** The services for a server: policy, index, sessions, the capturing audit sink, the test clock. */
    public RadiusServices services() {
        return new RadiusServices(policy, compliance, sessions, capturingSink(), clock);
    }

    private AuditSink capturingSink() {
        return audit::add;
    }

    /** The standard switch client at {@code address}: cisco, profile corp, SSID "guest" → guest-wifi. */
    public static NasClient.Builder switchClient(String address) {
        return NasClient.builder("switch", address, SECRET)
                .vendor(VendorProfile.CISCO)
                .profile("corp")
                .profileRules(List.of(new ProfileRule("guest", null, "guest-wifi")));
    }

    /** Settings for tests: any free ports on loopback, small queues. */
    public static RadiusSettings settings() {
        return RadiusSettings.DEFAULTS.withBindAddress("127.0.0.1").withPorts(0, 0).withTransport(true, 2)
                .withAccounting(2, 1000);
    }

    public static Set<String> profiles() {
        return Set.of("corp", "guest-wifi");
    }

    @Override
    public void close() {
        compliance.close();
        sessions.close();
        store.close();
    }
}
