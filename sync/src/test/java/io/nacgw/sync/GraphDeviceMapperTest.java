package io.nacgw.sync;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class GraphDeviceMapperTest {
    private static final Instant OBSERVED = Instant.parse("2026-11-23T12:00:00Z");
    private static final String ID = "0a1b2c3d-0000-4000-8000-00000000abcd";

    private static GraphDevice device() {
        return new GraphDevice().set(GraphField.ID, ID).set(GraphField.LAST_SYNC, "2026-11-23T11:00:00Z")
                .set(GraphField.COMPLIANCE_STATE, "compliant");
    }

    private static DeviceRecord map(GraphDevice d, SyncWarnings w) {
        return GraphDeviceMapper.map(d, OBSERVED, null, w);
    }

    @Test
    void map_complianceStates_allGraphValues() {
        String[] wire = {"unknown", "compliant", "noncompliant", "conflict", "error", "inGracePeriod", "configManager"};
        ComplianceState[] expected = ComplianceState.values();
        for (int i = 0; i < wire.length; i++) {
            SyncWarnings w = new SyncWarnings();
            assertEquals(expected[i], map(device().set(GraphField.COMPLIANCE_STATE, wire[i]), w).complianceState());
            assertEquals(0, w.total());
        }
    }

    @Test
    void map_unknownOrMissingComplianceState_isUnknownWithAWarning() {
        SyncWarnings w = new SyncWarnings();
        assertEquals(ComplianceState.UNKNOWN, map(device().set(GraphField.COMPLIANCE_STATE, "remediated"), w)
                .complianceState());
        assertEquals(ComplianceState.UNKNOWN, map(device().set(GraphField.COMPLIANCE_STATE, null), w)
                .complianceState());
        assertEquals(2, w.total());
        assertEquals(1L, w.byKind().get("complianceState unknown value"));
        assertEquals(1L, w.byKind().get("complianceState missing"));
    }

    @Test
    void management_agentAndRegistration() {
        SyncWarnings w = new SyncWarnings();
        assertEquals(ManagementState.MANAGED, GraphDeviceMapper.management("mdm", "registered", ID, w));
        assertEquals(ManagementState.MANAGED, GraphDeviceMapper.management("intuneClient", null, ID, w));
        assertEquals(ManagementState.MANAGED, GraphDeviceMapper.management("configurationManagerClientMdm",
                "unknown", ID, w));
        assertEquals(ManagementState.UNMANAGED, GraphDeviceMapper.management("eas", "registered", ID, w));
        for (String r : new String[] {"notRegistered", "keyConflict"}) {
            assertEquals(ManagementState.UNMANAGED, GraphDeviceMapper.management("mdm", r, ID, w), r);
        }
        // registration not in effect: held, and each profile decides (registrationHeld: unmanaged | managed)
        for (String r : new String[] {"revoked", "approvalPending", "certificateReset",
                "notRegisteredPendingEnrollment"}) {
            assertEquals(ManagementState.REGISTRATION_HELD, GraphDeviceMapper.management("mdm", r, ID, w), r);
            assertEquals(ManagementState.UNMANAGED, GraphDeviceMapper.management("eas", r, ID, w), r);
        }
        assertEquals(0, w.total());
        assertEquals(ManagementState.MANAGED, GraphDeviceMapper.management("quantumAgent", "registered", ID, w));
        assertEquals(ManagementState.MANAGED, GraphDeviceMapper.management("mdm", "teleported", ID, w));
        assertEquals(2, w.total());
    }

    @Test
    void platform_fromOperatingSystemText() {
        assertEquals(Platform.WINDOWS, GraphDeviceMapper.platform("Windows"));
        assertEquals(Platform.WINDOWS, GraphDeviceMapper.platform("Windows Holographic"));
        assertEquals(Platform.IOS, GraphDeviceMapper.platform("iOS"));
        assertEquals(Platform.IOS, GraphDeviceMapper.platform("iPadOS"));
        assertEquals(Platform.MACOS, GraphDeviceMapper.platform("macOS"));
        assertEquals(Platform.ANDROID, GraphDeviceMapper.platform("Android"));
        assertEquals(Platform.ANDROID, GraphDeviceMapper.platform("AndroidEnterprise"));
        assertEquals(Platform.ANDROID, GraphDeviceMapper.platform("Android (Open Source Project)"));
        assertEquals(Platform.LINUX, GraphDeviceMapper.platform("Linux"));
        assertEquals(Platform.OTHER, GraphDeviceMapper.platform("ChromeOS Flex"));
        assertEquals(Platform.OTHER, GraphDeviceMapper.platform(null));
    }

    @Test
    void ownership_companyIsCorporate() {
        SyncWarnings w = new SyncWarnings();
        assertEquals(Ownership.CORPORATE, GraphDeviceMapper.ownership("company", ID, w));
        assertEquals(Ownership.PERSONAL, GraphDeviceMapper.ownership("personal", ID, w));
        assertEquals(Ownership.UNKNOWN, GraphDeviceMapper.ownership("unknown", ID, w));
        assertEquals(Ownership.UNKNOWN, GraphDeviceMapper.ownership(null, ID, w));
        assertEquals(0, w.total());
    }

    @Test
    void jailBroken_isAString_unknownStaysUnknown() {
        SyncWarnings w = new SyncWarnings();
        assertEquals(Boolean.TRUE, GraphDeviceMapper.jailBroken("True", ID, w));
        assertEquals(Boolean.TRUE, GraphDeviceMapper.jailBroken("true", ID, w));
        assertEquals(Boolean.FALSE, GraphDeviceMapper.jailBroken("False", ID, w));
        assertNull(GraphDeviceMapper.jailBroken("Unknown", ID, w));
        assertNull(GraphDeviceMapper.jailBroken(null, ID, w));
        assertEquals(0, w.total());
        assertNull(GraphDeviceMapper.jailBroken("Yes", ID, w));
        assertEquals(1, w.total());
    }

    @Test
    void isEncrypted_absentIsUnknown() {
        assertEquals(Boolean.TRUE, GraphDeviceMapper.isEncrypted("true"));
        assertEquals(Boolean.FALSE, GraphDeviceMapper.isEncrypted("false"));
        assertNull(GraphDeviceMapper.isEncrypted(null));
    }

    @Test
    void threat_partnerReportedStates() {
        SyncWarnings w = new SyncWarnings();
        assertEquals(ThreatLevel.SECURED, GraphDeviceMapper.threat("secured", ID, w));
        assertEquals(ThreatLevel.LOW, GraphDeviceMapper.threat("lowSeverity", ID, w));
        assertEquals(ThreatLevel.MEDIUM, GraphDeviceMapper.threat("mediumSeverity", ID, w));
        assertEquals(ThreatLevel.HIGH, GraphDeviceMapper.threat("highSeverity", ID, w));
        assertEquals(ThreatLevel.HIGH, GraphDeviceMapper.threat("compromised", ID, w));
        for (String s : new String[] {"unknown", "activated", "deactivated", "unresponsive", "misconfigured"}) {
            assertEquals(ThreatLevel.UNKNOWN, GraphDeviceMapper.threat(s, ID, w), s);
        }
        assertEquals(0, w.total());
        assertEquals(ThreatLevel.UNKNOWN, GraphDeviceMapper.threat("apocalyptic", ID, w));
        assertEquals(1, w.total());
    }

    @Test
    void map_lastModified_isObservationTime_orCheckInIfLater() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device(), w);
        assertEquals(Instant.parse("2026-11-23T11:00:00Z"), r.lastCheckIn().orElseThrow());
        assertEquals(OBSERVED, r.lastModified());
        DeviceRecord skewed = map(device().set(GraphField.LAST_SYNC, "2026-11-23T12:00:05Z"), w);
        assertEquals(Instant.parse("2026-11-23T12:00:05Z"), skewed.lastModified());
    }

    @Test
    void map_futureLastSync_storedWithWarningButOrderedByObservationTime() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device().set(GraphField.LAST_SYNC, "2030-01-01T00:00:00Z"), w);
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), r.lastCheckIn().orElseThrow());
        assertEquals(OBSERVED, r.lastModified());
        assertEquals(1, w.futureTimestamps());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), w.latestFuture());
        assertEquals(1L, w.byKind().get("lastSyncDateTime in the future"));
    }

    @Test
    void map_futureIsJudgedByTheInventorysClock_whenItSentOne() {
        SyncWarnings w = new SyncWarnings();
        // our clock is 10 minutes behind the inventory's: a check-in at the inventory's "now" is not in the future
        Instant inventoryNow = OBSERVED.plus(Duration.ofMinutes(10));
        DeviceRecord r = GraphDeviceMapper.map(device().set(GraphField.LAST_SYNC, inventoryNow.toString()), OBSERVED,
                inventoryNow, w);
        assertEquals(0, w.futureTimestamps());
        // ... but it orders by at most our clock plus the tolerated skew
        assertEquals(OBSERVED.plus(GraphDeviceMapper.SKEW), r.lastModified());
        GraphDeviceMapper.map(device().set(GraphField.LAST_SYNC, inventoryNow.plus(Duration.ofMinutes(3)).toString()),
                OBSERVED, inventoryNow, w);
        assertEquals(1, w.futureTimestamps());
    }

    @Test
    void map_graphPlaceholderDates_meanNone() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device().set(GraphField.LAST_SYNC, "0001-01-01T00:00:00Z")
                .set(GraphField.GRACE_EXPIRY, "9999-12-31T23:59:59.9999999Z"), w);
        assertTrue(r.lastCheckIn().isEmpty());
        assertTrue(r.graceExpiry().isEmpty());
        assertEquals(OBSERVED, r.lastModified());
        assertEquals(0, w.total());
        DeviceRecord bad = map(device().set(GraphField.LAST_SYNC, "yesterday"), w);
        assertTrue(bad.lastCheckIn().isEmpty());
        assertEquals(1L, w.byKind().get("lastSyncDateTime unparseable"));
    }

    @Test
    void map_nilEntraId_meansNotRegistered() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device().set(GraphField.AZURE_AD_DEVICE_ID, "00000000-0000-0000-0000-000000000000"), w);
        assertTrue(r.entraId().isEmpty());
        assertEquals(0, w.total());
    }

    @Test
    void map_emptyIdentifiers_areAbsentWithoutWarnings() {
        SyncWarnings w = new SyncWarnings();
        GraphDevice d = device();
        for (GraphField f : new GraphField[] {GraphField.WIFI_MAC, GraphField.ETHERNET_MAC, GraphField.SERIAL_NUMBER,
                GraphField.IMEI, GraphField.MEID, GraphField.UDID, GraphField.AZURE_AD_DEVICE_ID}) {
            d.set(f, "");
        }
        DeviceRecord r = map(d, w);
        assertEquals(1, r.identifiers().size()); // only the device id
        assertEquals(0, w.total());
    }

    @Test
    void map_invalidIdentifiers_droppedEachWithAWarning() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device().set(GraphField.WIFI_MAC, "02000000000G").set(GraphField.ETHERNET_MAC, "A0CEC8000009")
                .set(GraphField.IMEI, "490154203237517").set(GraphField.MEID, "XYZ").set(GraphField.UDID, "short")
                .set(GraphField.SERIAL_NUMBER, "bad serial!").set(GraphField.AZURE_AD_DEVICE_ID, "nope"), w);
        assertEquals(1, r.macs().size());
        assertTrue(r.imei().isEmpty());
        assertTrue(r.meid().isEmpty());
        assertTrue(r.udid().isEmpty());
        assertTrue(r.serial().isEmpty());
        assertTrue(r.entraId().isEmpty());
        assertEquals(6, w.total());
        assertEquals(1L, w.byKind().get("imei dropped"));
        assertEquals(1L, w.byKind().get("wiFiMacAddress dropped"));
    }

    @Test
    void map_unstorableText_droppedWithAWarning() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord r = map(device().set(GraphField.DEVICE_NAME, "x".repeat(300))
                .set(GraphField.MODEL, "bad\u0007model").set(GraphField.MANUFACTURER, "  "), w);
        assertTrue(r.deviceName().isEmpty());
        assertTrue(r.model().isEmpty());
        assertTrue(r.manufacturer().isEmpty());
        assertEquals(2, w.total());
    }

    @Test
    void map_withoutUsableId_skipsTheDevice() {
        SyncWarnings w = new SyncWarnings();
        assertNull(map(device().set(GraphField.ID, null), w));
        assertNull(map(device().set(GraphField.ID, "abc"), w));
        assertEquals(2, w.skippedDevices());
        assertEquals(2, w.total());
    }

    @Test
    void sameContent_ignoresOnlyLastModified() {
        SyncWarnings w = new SyncWarnings();
        DeviceRecord a = map(device(), w);
        DeviceRecord later = GraphDeviceMapper.map(device(), OBSERVED.plusSeconds(60), null, w);
        assertTrue(GraphDeviceMapper.sameContent(a, later));
        DeviceRecord flipped = GraphDeviceMapper.map(device().set(GraphField.COMPLIANCE_STATE, "noncompliant"),
                OBSERVED.plusSeconds(60), null, w);
        assertFalse(GraphDeviceMapper.sameContent(a, flipped));
    }

    @Test
    void warnings_loggedOnlyUpToTheRunBudget_butAllCounted() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SyncWarnings.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        SyncWarnings run = new SyncWarnings();
        SyncWarnings page = run.child();
        try {
            for (int i = 0; i < 60; i++) {
                page.warn("imei dropped", ID, "bad");
            }
            for (int i = 0; i < 40; i++) {
                run.child().warn("imei dropped", ID, "bad"); // another page of the same run shares the budget
            }
        } finally {
            logger.detachAppender(events);
        }
        assertEquals(SyncWarnings.LOGGED_PER_RUN + 1, events.list.size());
        assertEquals("further data warnings in this sync run are counted, not logged",
                events.list.get(SyncWarnings.LOGGED_PER_RUN).getFormattedMessage());
        assertEquals(0, run.total());
        run.absorb(page);
        assertEquals(60, run.total());
        assertEquals(60L, run.byKind().get("imei dropped"));
    }
}
