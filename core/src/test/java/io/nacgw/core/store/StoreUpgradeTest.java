package io.nacgw.core.store;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.NasTransport;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionEvent;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestStores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store written by an older nacgw (schema V10: devices, their MACs and NAS sessions, before the store sequence,
 * the nullable device flags, the change log, shared sessions, transports and answer hashes) is migrated by the
 * current code at open, and every row reads back as it was written.
 */
final class StoreUpgradeTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final UUID LAPTOP = UUID.fromString("0b6f3a52-1c4e-4d8a-9f21-5a7c3e9d1b01");
    private static final UUID PHONE = UUID.fromString("0b6f3a52-1c4e-4d8a-9f21-5a7c3e9d1b02");
    private static final UUID TABLET = UUID.fromString("0b6f3a52-1c4e-4d8a-9f21-5a7c3e9d1b03");
    private static final UUID LAPTOP_ENTRA = UUID.fromString("7e1d2c3b-4a59-4687-9a0b-c1d2e3f4a5b6");
    private static final MacAddress LAPTOP_WIRED = MacAddress.parse("00:1A:2B:3C:4D:01");
    private static final MacAddress LAPTOP_WIFI = MacAddress.parse("00:1A:2B:3C:4D:02");
    private static final MacAddress PHONE_WIFI = MacAddress.parse("00:1A:2B:3C:4D:03");
    private static final NasRef SWITCH = new NasRef("ip:10.1.0.1", "access", "10.1.0.1", "192.0.2.100");
    private static final NasRef WLC = new NasRef("id:wlc-1", "wireless", "10.2.0.1", "10.2.0.1");

    @RegisterExtension
    final Postgres pg = new Postgres();

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void storeOfSchemaV10_isMigratedAtOpen_withDevicesAndSessionsIntact(String kind) throws Exception {
        StoreSettings s = kind.equals("postgres") ? pg.freshSchema() : TestStores.fresh(2);
        StoreEngine engine = s.engine();
        Flyway.configure().dataSource(s.jdbcUrl(), s.user(), s.password()).locations(engine.migrations())
                .target("10").load().migrate();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password())) {
            writeV10Rows(c, engine);
            assertEquals("10", schemaVersion(c), "the store starts at V10");
        }

        MutableClock clock = new MutableClock(T0);
        try (ComplianceStore devices = ComplianceStore.open(s);
             SessionStore sessions = SessionStore.open(s, clock)) {
            assertEquals(3, devices.count());
            assertEquals(laptop(), devices.get(DeviceGuid.intune(LAPTOP.toString())).orElseThrow());
            assertEquals(phone(), devices.get(DeviceGuid.intune(PHONE.toString())).orElseThrow());
            DeviceRecord tablet = devices.get(DeviceGuid.intune(TABLET.toString())).orElseThrow();
            assertEquals(tablet(), tablet);
            assertTrue(tablet.jailbreakKnown() && tablet.jailbroken(), "a V10 flag stays known after V26");
            assertEquals(List.of(laptop()), devices.find(LAPTOP_WIFI), "the MAC index survives");
            assertEquals(List.of(phone()), devices.find(Imei.parse("490154203237518")));
            assertEquals(List.of(laptop()), devices.find(new SerialNumber("5CG1234XYZ")));

            // V25 numbered the old rows; a device stored now gets a number none of them has
            Set<Long> sequences = new HashSet<>();
            devices.forEach(r -> sequences.add(r.storeSequence()));
            assertEquals(3, sequences.size(), "each old device has its own store sequence");
            assertFalse(sequences.contains(0L));
            DeviceRecord fresh = DeviceRecord.builder().deviceId(DeviceGuid.intune(new UUID(1, 4).toString()))
                    .platform(Platform.LINUX).ownership(Ownership.CORPORATE).managementState(ManagementState.MANAGED)
                    .complianceState(ComplianceState.COMPLIANT).lastModified(T0).build();
            long newSequence = devices.upsertAllSequenced(List.of(fresh)).get(0).storeSequence();
            assertTrue(newSequence > sequences.stream().mapToLong(Long::longValue).max().orElseThrow(),
                    newSequence + " after " + sequences);

            Session accounted = sessions.get(SWITCH.id(), "0000001A").orElseThrow();
            assertEquals("s-live", accounted.id());
            assertEquals(SWITCH, accounted.nas());
            assertEquals(NasTransport.UDP, accounted.nas().transport(), "V10 rows are UDP sessions");
            assertEquals(LAPTOP_WIRED, accounted.mac());
            assertEquals(DeviceGuid.intune(LAPTOP.toString()), accounted.deviceId());
            assertEquals("alice@example.com", accounted.userName());
            assertEquals(Long.valueOf(10101), accounted.nasPort());
            assertEquals("GigabitEthernet1/0/1", accounted.nasPortId());
            assertEquals("corp", accounted.profile());
            assertEquals(Verdict.ALLOW, accounted.verdict());
            assertEquals(T0.minusSeconds(3600), accounted.startedAt());
            assertNull(accounted.owner(), "no owner before V45");
            assertNull(accounted.answerHash(), "no answer hash before V48");
            assertTrue(accounted.active(T0));

            Session stopped = sessions.get(SWITCH.id(), "0000000F").orElseThrow();
            assertEquals(T0.minusSeconds(7200), stopped.stoppedAt());
            assertEquals(Integer.valueOf(1), stopped.terminateCause());

            List<Session> phoneSessions = sessions.activeSessionsForMac(PHONE_WIFI);
            assertEquals(List.of("s-accept"), phoneSessions.stream().map(Session::id).toList(),
                    "the Accept-only session is active until it expires");
            assertEquals(2, sessions.activeCount());

            // accounting for the Accept-only session joins it, through the indexes the later migrations built
            sessions.apply(new SessionEvent(SessionEvent.Kind.START, WLC, "8000A1B2", null, null, PHONE_WIFI,
                    DeviceGuid.intune(PHONE.toString()), "bob@example.com", "10.20.0.7", "nacgw:d-phone",
                    null, "d-phone", T0, null));
            Session joined = sessions.get(WLC.id(), "8000A1B2").orElseThrow();
            assertEquals("s-accept", joined.id(), "joined with the V10 row, not a second session");
            assertEquals(2, sessions.activeCount());
        }
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password())) {
            assertTrue(Integer.parseInt(schemaVersion(c)) >= 50, "migrated to the current schema");
        }
    }

    private static DeviceRecord laptop() {
        return DeviceRecord.builder().deviceId(DeviceGuid.intune(LAPTOP.toString()))
                .entraId(DeviceGuid.entra(LAPTOP_ENTRA.toString())).deviceName("LAPTOP-ALICE")
                .userPrincipalName("alice@example.com").platform(Platform.WINDOWS).osVersion("10.0.22631.4460")
                .model("EliteBook 840 G9").manufacturer("HP").ownership(Ownership.CORPORATE)
                .managementState(ManagementState.MANAGED).complianceState(ComplianceState.COMPLIANT)
                .policyAssigned(true).threatLevel(ThreatLevel.SECURED).jailbroken(false).encrypted(true)
                .lastCheckIn(T0.minusSeconds(1800)).addMac(LAPTOP_WIRED).addMac(LAPTOP_WIFI)
                .serial(new SerialNumber("5CG1234XYZ")).lastModified(T0.minusSeconds(1700)).build();
    }

    private static DeviceRecord phone() {
        return DeviceRecord.builder().deviceId(DeviceGuid.intune(PHONE.toString())).deviceName("Bob's iPhone")
                .userPrincipalName("bob@example.com").platform(Platform.IOS).osVersion("18.1.1").model("iPhone 15")
                .manufacturer("Apple").ownership(Ownership.PERSONAL).managementState(ManagementState.MANAGED)
                .complianceState(ComplianceState.IN_GRACE_PERIOD).graceExpiry(T0.plusSeconds(86_400))
                .policyAssigned(true).threatLevel(ThreatLevel.LOW).jailbroken(false).encrypted(true)
                .lastCheckIn(T0.minusSeconds(600)).addMac(PHONE_WIFI).imei(Imei.parse("490154203237518"))
                .udid(new Udid("00008030-001A2D3E3C41802E")).lastModified(T0.minusSeconds(500)).build();
    }

    private static DeviceRecord tablet() {
        return DeviceRecord.builder().deviceId(DeviceGuid.intune(TABLET.toString())).deviceName("TAB-7")
                .platform(Platform.ANDROID).ownership(Ownership.CORPORATE).managementState(ManagementState.MANAGED)
                .complianceState(ComplianceState.NONCOMPLIANT).policyAssigned(false).threatLevel(ThreatLevel.HIGH)
                .jailbroken(true).encrypted(false).meid(Meid.parse("A10000009296F2"))
                .lastModified(T0.minusSeconds(100)).build();
    }

    /** The rows as the V10 code wrote them: each column spelled out, in its encoding of the time. */
    private static void writeV10Rows(Connection c, StoreEngine engine) throws SQLException {
        String devices = "INSERT INTO devices (device_id, entra_id, device_name, upn, platform, os_version, model, "
                + "manufacturer, ownership, management_state, compliance_state, grace_expiry, policy_assigned, "
                + "threat_level, jailbroken, encrypted, last_check_in, macs, serial, imei, meid, udid, mdm_modified, "
                + "stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        long t0 = T0.toEpochMilli();
        try (PreparedStatement ps = c.prepareStatement(devices)) {
            engine.bind(ps, LAPTOP, LAPTOP_ENTRA, "LAPTOP-ALICE", "alice@example.com", "windows", "10.0.22631.4460",
                    "EliteBook 840 G9", "HP", "corporate", "managed", "compliant", null, true, "secured", false, true,
                    t0 - 1_800_000, "001A2B3C4D01,001A2B3C4D02", "5CG1234XYZ", null, null, null, t0 - 1_700_000,
                    t0 - 1_600_000);
            ps.executeUpdate();
            engine.bind(ps, PHONE, null, "Bob's iPhone", "bob@example.com", "ios", "18.1.1", "iPhone 15", "Apple",
                    "personal", "managed", "inGracePeriod", t0 + 86_400_000, true, "low", false, true, t0 - 600_000,
                    "001A2B3C4D03", null, 490154203237518L, null, "00008030-001A2D3E3C41802E", t0 - 500_000,
                    t0 - 400_000);
            ps.executeUpdate();
            engine.bind(ps, TABLET, null, "TAB-7", null, "android", null, null, null, "corporate", "managed",
                    "noncompliant", null, false, "high", true, false, null, null, null, null, 0xA10000009296F2L, null,
                    t0 - 100_000, t0 - 90_000);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_macs (mac, device_id) VALUES (?, ?)")) {
            for (Object[] row : List.of(new Object[] {LAPTOP_WIRED, LAPTOP}, new Object[] {LAPTOP_WIFI, LAPTOP},
                    new Object[] {PHONE_WIFI, PHONE})) {
                engine.bind(ps, ((MacAddress) row[0]).value(), row[1]);
                ps.executeUpdate();
            }
        }
        String sessions = "INSERT INTO nas_sessions (id, nas_id, acct_session_id, client, nas_ip, source_address, "
                + "nas_port, nas_port_id, mac, device_id, user_name, framed_ip, class_value, audit_session_id, profile, "
                + "verdict, decision_id, authorized_at, expires_at, started_at, updated_at, stopped_at, terminate_cause) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement ps = c.prepareStatement(sessions)) {
            // accounted and live, behind a proxy (source address is the proxy's)
            engine.bind(ps, "s-live", "ip:10.1.0.1", "0000001A", "access", "10.1.0.1", "192.0.2.100", 10101L,
                    "GigabitEthernet1/0/1", LAPTOP_WIRED.value(), LAPTOP.toString(), "alice@example.com", "10.0.0.5",
                    "nacgw:d-laptop", "0A0100010000001A", "corp", "allow", "d-laptop", t0 - 3_600_000, null,
                    t0 - 3_600_000, t0 - 60_000, null, null);
            ps.executeUpdate();
            // accounted and stopped (User-Request)
            engine.bind(ps, "s-old", "ip:10.1.0.1", "0000000F", "access", "10.1.0.1", "192.0.2.100", 10101L,
                    "GigabitEthernet1/0/1", LAPTOP_WIRED.value(), LAPTOP.toString(), "alice@example.com", null, null,
                    null, null, null, null, null, null, t0 - 9_000_000, t0 - 7_200_000, t0 - 7_200_000, 1);
            ps.executeUpdate();
            // known only from an Access-Accept, live until it expires
            engine.bind(ps, "s-accept", "id:wlc-1", null, "wireless", "10.2.0.1", "10.2.0.1", null, null,
                    PHONE_WIFI.value(), PHONE.toString(), "001a2b3c4d03", null, "nacgw:d-phone", null, "byod", "allow",
                    "d-phone", t0 - 300_000, t0 + 28_800_000, t0 - 300_000, t0 - 300_000, null, null);
            ps.executeUpdate();
        }
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success "
                     + "AND version IS NOT NULL ORDER BY installed_rank DESC")) {
            int max = 0;
            while (rs.next()) {
                max = Math.max(max, Integer.parseInt(rs.getString(1)));
            }
            return Integer.toString(max);
        }
    }
}
