package io.nacgw.sync;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.service.DeviceChange;
import io.nacgw.core.service.IndexSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sync runs against a local Graph-shaped server into a real SQLite store; the store must end exactly right. */
final class GraphSyncTest {

    @Test
    void fullSync_nextLinkPages_allStored() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(3, r.pages());
            assertEquals(7, r.devicesSeen());
            assertEquals(7, r.changesApplied());
            assertEquals(7, f.store.count());
            for (int n = 1; n <= 7; n++) {
                assertEquals(ManagementState.MANAGED, f.stored(n).orElseThrow().managementState());
            }
            List<String> req = f.graph.graphRequests;
            assertEquals("/v1.0/deviceManagement/managedDevices?$select=" + GraphField.SELECT + "&$top=3", req.get(0));
            // pages 2 and 3 are the nextLinks exactly as served, odd extra parameter included
            assertTrue(req.get(1).endsWith("&$skiptoken=RFNwdC3%3D&foo=a%2Fb"), req.get(1));
            assertTrue(req.get(2).endsWith("&$skiptoken=RFNwdC6%3D&foo=a%2Fb"), req.get(2));
            assertEquals(3, req.size());
        }
    }

    @Test
    void fullSync_selectList_isExactlyTheMappedFields() {
        assertEquals("id,deviceName,userPrincipalName,operatingSystem,osVersion,model,manufacturer,"
                + "managedDeviceOwnerType,complianceState,complianceGracePeriodExpirationDateTime,managementAgent,"
                + "deviceRegistrationState,jailBroken,isEncrypted,wiFiMacAddress,ethernetMacAddress,serialNumber,imei,"
                + "meid,udid,azureADDeviceId,partnerReportedThreatState,lastSyncDateTime", GraphField.SELECT);
    }

    @Test
    void fullSync_graphFields_mappedToDeviceRecord() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            Map<String, Object> d = FakeGraph.device(9);
            d.put("operatingSystem", "iOS");
            d.put("osVersion", "18.1");
            d.put("managedDeviceOwnerType", "personal");
            d.put("complianceState", "inGracePeriod");
            d.put("complianceGracePeriodExpirationDateTime", "2026-11-30T08:00:00.1234567Z");
            d.put("jailBroken", "True");
            d.put("isEncrypted", false);
            d.put("ethernetMacAddress", "A0CEC8000009");
            d.put("imei", "35 209900 176148 1");
            d.put("meid", "A0000049259041");
            d.put("udid", "00008030-001A2B3C4D5E6F70");
            d.put("partnerReportedThreatState", "mediumSeverity");
            d.put("model", "iPhone 15");
            d.put("manufacturer", "Apple");
            f.graph.setDevices(List.of(d));

            assertTrue(f.sync.runFull().succeeded());

            DeviceRecord r = f.stored(9).orElseThrow();
            assertEquals("DESKTOP-9", r.deviceName().orElseThrow());
            assertEquals("user9@example.com", r.userPrincipalName().orElseThrow());
            assertEquals(Platform.IOS, r.platform());
            assertEquals("18.1", r.osVersion().orElseThrow());
            assertEquals("iPhone 15", r.model().orElseThrow());
            assertEquals("Apple", r.manufacturer().orElseThrow());
            assertEquals(Ownership.PERSONAL, r.ownership());
            assertEquals(ManagementState.MANAGED, r.managementState());
            assertEquals(ComplianceState.IN_GRACE_PERIOD, r.complianceState());
            assertEquals(Instant.parse("2026-11-30T08:00:00.123Z"), r.graceExpiry().orElseThrow());
            assertTrue(r.jailbroken());
            assertFalse(r.encrypted());
            assertEquals(ThreatLevel.MEDIUM, r.threatLevel());
            assertEquals(List.of(MacAddress.parse("02:00:00:00:00:09"), MacAddress.parse("a0:ce:c8:00:00:09")), r.macs());
            assertEquals(new SerialNumber("SN00000009"), r.serial().orElseThrow());
            assertEquals("352099001761481", r.imei().orElseThrow().canonical());
            assertEquals("A0000049259041", r.meid().orElseThrow().canonical());
            assertEquals("00008030-001A2B3C4D5E6F70", r.udid().orElseThrow().canonical());
            assertEquals(DeviceGuid.entra("00000009-1111-4000-8000-000000000009"), r.entraId().orElseThrow());
            assertEquals(Instant.parse("2026-11-20T10:00:00Z"), r.lastCheckIn().orElseThrow());
            // ordered by when the MDM state was observed, not by the last check-in
            assertEquals(f.clock.instant(), r.lastModified());
        }
    }

    @Test
    void fullSync_throttled429_honoursRetryAfterSecondsAndKeepsServing() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5));
            f.graph.intercept((n, ex) -> {
                if (n == 2) {
                    FakeGraph.respond(ex, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}",
                            "Retry-After", "7");
                    return true;
                }
                return false;
            });
            List<Optional<DeviceRecord>> seenWhileThrottled = Collections.synchronizedList(new ArrayList<>());
            f.sleeper.during = d -> seenWhileThrottled.add(f.lookup(1));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(List.of(Duration.ofSeconds(7)), f.sleeper.delays);
            assertEquals(1, r.retries());
            assertEquals(5, f.store.count());
            // page 1 was committed before the throttled page 2: lookups answered it during the wait
            assertEquals(1, seenWhileThrottled.size());
            assertTrue(seenWhileThrottled.get(0).isPresent());
        }
    }

    @Test
    void fullSync_503WithHttpDate_waitsUntilThatDate() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    f.clock.instant().plusSeconds(30).atOffset(ZoneOffset.UTC));
            f.graph.intercept((n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 503, "", "Retry-After", at);
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(List.of(Duration.ofSeconds(30)), f.sleeper.delays);
            assertEquals(2, f.store.count());
        }
    }

    @Test
    void fullSync_500MidSync_retriedWithBackoffAndCompletes() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6));
            f.graph.intercept((n, ex) -> {
                if (n == 2 || n == 3) {
                    FakeGraph.respond(ex, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"oops\"}}");
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            // jitter fixed at 0.5: 1 s → 0.75 s, 2 s → 1.5 s
            assertEquals(List.of(Duration.ofMillis(750), Duration.ofMillis(1500)), f.sleeper.delays);
            assertEquals(2, r.retries());
            assertEquals(6, f.store.count());
        }
    }

    @Test
    void fullSync_persistentFailure_failsAndRetiresNothing() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6));
            assertTrue(f.sync.runFull().succeeded());
            Instant firstSuccess = f.sync.status().lastSuccess();
            f.clock.advance(Duration.ofMinutes(30));
            // device 2 left the MDM, and page 2 now fails for good
            f.graph.setDevices(SyncFixture.devices(1, 3, 4, 5, 6));
            f.graph.intercept((n, ex) -> {
                if (n > 3) {
                    FakeGraph.respond(ex, 502, "<html>bad gateway</html>");
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("answered HTTP 502: <html>bad gateway</html> (gave up after 4 attempts)"),
                    r.error());
            assertEquals(0, r.retired());
            assertEquals(3, r.retries());
            for (int n = 1; n <= 6; n++) {
                assertEquals(ManagementState.MANAGED, f.stored(n).orElseThrow().managementState(), "device " + n);
                assertEquals(ManagementState.MANAGED, f.lookup(n).orElseThrow().managementState(), "device " + n);
            }
            SyncStatus s = f.sync.status();
            assertEquals(firstSuccess, s.lastSuccess());
            assertNotNull(s.lastFailure());
            assertEquals(r.error(), s.lastError());
            assertEquals(1, s.failedRuns());
            assertFalse(s.running());
        }
    }

    @Test
    void fullSync_expiredToken_refreshedOnceAndContinues() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7));
            f.graph.intercept((n, ex) -> {
                if (n == 2) {
                    f.graph.revokeTokens(); // the token dies early, between page 1 and page 2
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(2, f.graph.tokensIssued.get());
            assertEquals(7, f.store.count());
            assertEquals(4, f.graph.graphRequestCount.get()); // page 2 twice: 401, then with the new token
            assertEquals(0, r.retries());
        }
    }

    @Test
    void fullSync_401EvenWithNewToken_failsClearly() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            f.graph.intercept((n, ex) -> {
                f.graph.revokeTokens();
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("answered HTTP 401 even with a newly issued access token: "
                    + "InvalidAuthenticationToken Access token has expired"), r.error());
            assertEquals(2, f.graph.tokensIssued.get());
            assertEquals(0, f.store.count());
        }
    }

    @Test
    void token_cachedAcrossRuns_refreshedShortlyBeforeExpiry() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            f.graph.expiresIn = 3600;
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofSeconds(3600 - 61));
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(1, f.graph.tokensIssued.get());
            f.clock.advance(Duration.ofSeconds(2)); // now inside the 60 s margin
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(2, f.graph.tokensIssued.get());
        }
    }

    @Test
    void token_requestForm_carriesClientCredentialsAndScope() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.scope("https://graph.microsoft.com/.default"))) {
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(List.of("grant_type=client_credentials&client_id=" + FakeGraph.CLIENT_ID
                    + "&client_secret=" + FakeGraph.CLIENT_SECRET
                    + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"), f.graph.tokenForms);
        }
    }

    @Test
    void token_refused_failsWithTheEndpointsReasonButNotTheSecret() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b)) {
            f.graph.tokenInterceptor = (n, ex) -> {
                FakeGraph.respond(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                        + "Invalid client secret provided.\\r\\nTrace ID: 42\"}");
                return true;
            };

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertEquals("the token endpoint " + f.graph.tokenUrl + " refused the client credentials of client "
                    + FakeGraph.CLIENT_ID + " (HTTP 401): invalid_client AADSTS7000215: Invalid client secret "
                    + "provided.", r.error());
            assertFalse(r.error().contains(FakeGraph.CLIENT_SECRET));
            assertEquals(1, f.graph.tokenRequests.get()); // a refusal is final, not retried
            assertEquals(0, f.graph.graphRequestCount.get());
        }
    }

    @Test
    void token_endpointThrottled_retriedLikeTheApi() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            f.graph.tokenInterceptor = (n, ex) -> {
                if (n == 1) {
                    FakeGraph.respond(ex, 429, "", "Retry-After", "3");
                    return true;
                }
                return false;
            };

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(List.of(Duration.ofSeconds(3)), f.sleeper.delays);
            assertEquals(1, f.store.count());
        }
    }

    @Test
    void fullSync_403_failsNamingTheMissingPermission() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.intercept((n, ex) -> {
                FakeGraph.respond(ex, 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Application is not "
                        + "authorized to perform this operation.\"}}");
                return true;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().endsWith("answered HTTP 403: Forbidden Application is not authorized to perform "
                    + "this operation. (the application needs the DeviceManagementManagedDevices.Read.All "
                    + "application permission)"), r.error());
            assertEquals(1, f.graph.graphRequestCount.get()); // 403 is not retried
        }
    }

    @Test
    void fullSync_deviceRemovedBetweenSyncs_isRetired() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            assertTrue(f.sync.runFull().succeeded());
            DeviceRecord before = f.stored(3).orElseThrow();
            f.clock.advance(Duration.ofHours(6));
            f.graph.setDevices(SyncFixture.devices(1, 2, 4));
            List<DeviceChange> changes = Collections.synchronizedList(new ArrayList<>());
            f.compliance.addListener(changes::add);

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(1, r.retired());
            assertEquals(0, r.changesApplied());
            assertEquals(3, r.unchanged());
            DeviceRecord after = f.stored(3).orElseThrow();
            assertEquals(ManagementState.RETIRED, after.managementState());
            assertTrue(after.lastModified().isAfter(before.lastModified()));
            assertEquals(before.toBuilder().managementState(ManagementState.RETIRED)
                    .lastModified(after.lastModified()).build(), after);
            assertEquals(ManagementState.RETIRED, f.lookup(3).orElseThrow().managementState());
            assertEquals(1, changes.size());
            assertEquals(ManagementState.MANAGED, changes.get(0).before().managementState());
            for (int n : new int[] {1, 2, 4}) {
                assertEquals(ManagementState.MANAGED, f.stored(n).orElseThrow().managementState());
            }
            f.clock.advance(Duration.ofHours(6));
            SyncReport again = f.sync.runFull();
            assertEquals(0, again.retired()); // already retired: not rewritten
            assertEquals(1, f.sync.status().totalRetired());
        }
    }

    @Test
    void fullSync_retiredDeviceReturns_isManagedAgain() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(SyncFixture.devices(1));
            assertEquals(1, f.sync.runFull().retired());
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(SyncFixture.devices(1, 2));

            SyncReport r = f.sync.runFull();

            assertEquals(1, r.changesApplied());
            assertEquals(ManagementState.MANAGED, f.lookup(2).orElseThrow().managementState());
        }
    }

    @Test
    void fullSync_deviceWrittenDuringTheRun_isNotRetired() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            // while the run pages, the ingest API pushes device 50, which the pages already read cannot list
            f.graph.intercept((n, ex) -> {
                if (n == 2) {
                    f.compliance.upsert(DeviceRecord.builder().deviceId(SyncFixture.id(50))
                            .managementState(ManagementState.MANAGED).complianceState(ComplianceState.COMPLIANT)
                            .lastModified(f.clock.instant()).build());
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(0, r.retired());
            assertEquals(ManagementState.MANAGED, f.stored(50).orElseThrow().managementState());
        }
    }

    @Test
    void fullSync_emptyInventory_refusesToRetireEveryDevice() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(List.of());

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertEquals("the inventory listed no devices; refusing to retire all 2 stored devices (check the "
                    + "application's permissions and the tenant)", r.error());
            assertEquals(ManagementState.MANAGED, f.stored(1).orElseThrow().managementState());
        }
    }

    @Test
    void fullSync_malformedJson_failsCleanlyWithLocationAndRetiresNothing() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7, 8));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7));
            f.graph.intercept((n, ex) -> {
                if (n == 5) { // page 2 of the second run
                    byte[] bad = "{\"value\": [ {\"id\": \"00000004-0000-4000-8000-000000000004\",\n \"deviceName\": }"
                            .getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, bad.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(bad);
                    }
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().startsWith("malformed JSON in GET " + f.graph.base
                    + "/deviceManagement/managedDevices (page 2): Unexpected character ('}'"), r.error());
            assertTrue(r.error().endsWith("at line 2 column 16"), r.error());
            assertEquals(1, r.pages());
            assertEquals(0, r.retries()); // a malformed page is not retried
            assertEquals(ManagementState.MANAGED, f.stored(8).orElseThrow().managementState());
            assertEquals(8, f.store.count());
        }
    }

    @Test
    void fullSync_pageWithoutValueArray_failsCleanly() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.intercept((n, ex) -> {
                FakeGraph.respond(ex, 200, "{\"@odata.context\":\"x\"}");
                return true;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("the page has no 'value' array"), r.error());
        }
    }

    @Test
    void fullSync_unknownEnumValues_definedFallbacksAndCountedWarnings() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            Map<String, Object> d = FakeGraph.device(1);
            d.put("complianceState", "quarantinedByPolicy");
            d.put("partnerReportedThreatState", "extremeSeverity");
            d.put("managedDeviceOwnerType", "shared");
            d.put("jailBroken", "Maybe");
            d.put("deviceRegistrationState", "somethingNew");
            f.graph.setDevices(List.of(d, FakeGraph.device(2)));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(5, r.warnings());
            assertEquals(0, r.skippedDevices());
            DeviceRecord one = f.stored(1).orElseThrow();
            assertEquals(ComplianceState.UNKNOWN, one.complianceState());
            assertEquals(ThreatLevel.UNKNOWN, one.threatLevel());
            assertEquals(Ownership.UNKNOWN, one.ownership());
            assertFalse(one.jailbroken());
            assertEquals(ManagementState.MANAGED, one.managementState());
            assertEquals(ComplianceState.COMPLIANT, f.stored(2).orElseThrow().complianceState());
            assertEquals(5, f.sync.status().totalWarnings());
        }
    }

    @Test
    void fullSync_invalidIdentifiers_droppedWithWarningsDeviceKept() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            Map<String, Object> d = FakeGraph.device(1);
            d.put("imei", "352099001761482"); // Luhn check digit wrong
            d.put("wiFiMacAddress", "ZZ0000000001");
            d.put("serialNumber", "To be filled by O.E.M.");
            Map<String, Object> noId = FakeGraph.device(2);
            noId.put("id", "not-a-guid");
            f.graph.setDevices(List.of(d, noId, FakeGraph.device(3)));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(4, r.warnings());
            assertEquals(1, r.skippedDevices());
            assertEquals(2, r.devicesSeen());
            DeviceRecord one = f.stored(1).orElseThrow();
            assertTrue(one.imei().isEmpty());
            assertTrue(one.macs().isEmpty());
            assertTrue(one.serial().isEmpty());
            assertEquals(ComplianceState.COMPLIANT, one.complianceState());
            assertEquals(2, f.store.count());
        }
    }

    @Test
    void lookup_afterNextSync_reflectsBackgroundComplianceFlip() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(ComplianceState.COMPLIANT, f.lookup(2).orElseThrow().complianceState());
            f.clock.advance(Duration.ofHours(6));
            // the MDM's validity-period job flips device 2 without a check-in: lastSyncDateTime is unchanged
            List<Map<String, Object>> now = SyncFixture.devices(1, 2, 3);
            now.get(1).put("complianceState", "noncompliant");
            f.graph.setDevices(now);

            SyncReport r = f.sync.runFull();

            assertEquals(1, r.changesApplied());
            assertEquals(0, r.staleIgnored());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(2).orElseThrow().complianceState());
            assertEquals(ComplianceState.NONCOMPLIANT, f.stored(2).orElseThrow().complianceState());
        }
    }

    @Test
    void fullSync_unchangedDevices_notRewritten() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            assertTrue(f.sync.runFull().succeeded());
            Instant firstStamp = f.stored(1).orElseThrow().lastModified();
            List<DeviceChange> changes = Collections.synchronizedList(new ArrayList<>());
            f.compliance.addListener(changes::add);
            f.clock.advance(Duration.ofHours(6));

            SyncReport r = f.sync.runFull();

            assertEquals(0, r.changesApplied());
            assertEquals(4, r.unchanged());
            assertTrue(changes.isEmpty());
            assertEquals(firstStamp, f.stored(1).orElseThrow().lastModified());
        }
    }

    @Test
    void fullSync_newerRecordPushedMeanwhile_staleSyncUpdateIgnored() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(1));
            List<Map<String, Object>> listed = SyncFixture.devices(1);
            listed.get(0).put("osVersion", "10.0.22631.9999");
            f.graph.setDevices(listed);
            // the MDM pushes a newer state after Graph served the page the sync is about to apply
            DeviceRecord[] pushed = new DeviceRecord[1];
            f.graph.intercept((n, ex) -> {
                pushed[0] = f.stored(1).orElseThrow().toBuilder().complianceState(ComplianceState.NONCOMPLIANT)
                        .lastModified(f.clock.instant().plusSeconds(1)).build();
                f.compliance.upsert(pushed[0]);
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(1, r.staleIgnored());
            assertEquals(0, r.changesApplied());
            assertEquals(pushed[0], f.stored(1).orElseThrow());
        }
    }

    @Test
    void fullSync_storedRecordStampedInTheFuture_isReplacedByTheNextRealChange() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            assertTrue(f.sync.runFull().succeeded());
            // written by an older nacgw from lastSyncDateTime 2090, or pushed by an MDM with a broken clock
            Instant future = Instant.parse("2090-01-01T00:00:00Z");
            f.compliance.upsert(f.stored(1).orElseThrow().toBuilder().lastModified(future).build());
            f.clock.advance(Duration.ofHours(1));
            List<Map<String, Object>> flipped = SyncFixture.devices(1);
            flipped.get(0).put("complianceState", "noncompliant");
            f.graph.setDevices(flipped);

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(1, r.changesApplied());
            assertEquals(1, r.futureStampsReplaced());
            assertEquals(0, r.staleIgnored());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(1).orElseThrow().complianceState());
            assertEquals(future.plusMillis(1), f.stored(1).orElseThrow().lastModified());
        }
    }

    /** Devices 1-4, device 3 the newest (2026-11-21T09:30:00Z, the mark after a full sync); then 10 minutes pass. */
    private static void fullSyncWithMarkAtDevice3(SyncFixture f) {
        List<Map<String, Object>> all = SyncFixture.devices(1, 2, 3, 4);
        all.get(2).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
        f.graph.setDevices(all);
        assertTrue(f.sync.runFull().succeeded());
        assertEquals(Instant.parse("2026-11-21T09:30:00Z"), f.sync.status().highWaterMark());
        f.clock.advance(Duration.ofMinutes(10));
    }

    @Test
    void incrementalSync_filtersByHighWaterMark_andRetiresNothing() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            fullSyncWithMarkAtDevice3(f);
            List<Map<String, Object>> later = SyncFixture.devices(1, 2, 3, 4);
            later.get(2).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            later.get(0).put("lastSyncDateTime", "2026-11-23T12:05:00Z");
            later.get(0).put("complianceState", "noncompliant");
            f.graph.setDevices(later);
            f.graph.graphRequests.clear();

            SyncReport r = f.sync.runIncremental();

            assertTrue(r.succeeded(), r.error());
            assertEquals(SyncMode.INCREMENTAL, r.mode());
            // the high-water mark less the 5 minute overlap
            assertEquals(List.of("/v1.0/deviceManagement/managedDevices?$select=" + GraphField.SELECT
                    + "&$top=3&$filter=lastSyncDateTime%20gt%202026-11-21T09:25:00Z"), f.graph.graphRequests);
            assertEquals(2, r.devicesSeen());
            assertEquals(1, r.changesApplied());
            assertEquals(1, r.unchanged()); // device 3, at the mark, read again for free
            assertEquals(0, r.retired());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(1).orElseThrow().complianceState());
            assertEquals(ManagementState.MANAGED, f.stored(2).orElseThrow().managementState());
            assertEquals(Instant.parse("2026-11-23T12:05:00Z"), f.sync.status().highWaterMark());
        }
    }

    @Test
    void incrementalSync_withoutHighWaterMark_runsFull() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2));

            SyncReport r = f.sync.runIncremental();

            assertEquals(SyncMode.FULL, r.mode());
            assertTrue(r.succeeded());
            assertFalse(f.graph.graphRequests.get(0).contains("$filter"));
            assertEquals(r.started(), f.sync.status().lastFullSuccess());
        }
    }

    @Test
    void fullSync_nextLinkToAnotherHost_refusedBeforeSendingTheToken() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.intercept((n, ex) -> {
                FakeGraph.respond(ex, 200, "{\"value\":[],\"@odata.nextLink\":\"https://evil.example/steal?x=1\"}");
                return true;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertEquals("refusing to follow @odata.nextLink to 'https://evil.example/steal': not on http://"
                    + f.settings.baseUrl().getAuthority(), r.error());
        }
    }

    @Test
    void fullSync_nextLinkRepeatingThePage_failsInsteadOfLooping() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            String self = f.settings.managedDevicesUrl(null).toString();
            f.graph.intercept((n, ex) -> {
                FakeGraph.respond(ex, 200, "{\"value\":[],\"@odata.nextLink\":\"" + self + "\"}");
                return true;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().startsWith("@odata.nextLink repeats the page just read"), r.error());
        }
    }

    /** Blocks a fake Graph handler until the test releases it (or the fake shuts down), marking the stall open. */
    private static void stall(AtomicBoolean open, CountDownLatch release) {
        open.set(true);
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.set(false);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guard: without the request timeout the sync waits forever
    void fullSync_bodyStalls_timesOutAndIsRetried() throws Exception {
        AtomicBoolean stalled = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        try (SyncFixture f = new SyncFixture(b -> b.requestTimeout(Duration.ofSeconds(1)))) {
            f.graph.setDevices(SyncFixture.devices(1, 2));
            f.graph.intercept((n, ex) -> {
                if (n == 1) {
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("{\"value\": [".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    stall(stalled, release);
                    ex.close();
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(stalled.get(), "the sync finished while the first body was still stalled: it gave up on it");
            assertTrue(r.succeeded(), r.error());
            assertEquals(1, r.retries());
            assertEquals(2, f.store.count());
        } finally {
            release.countDown();
        }
    }

    @Test
    void fullSync_connectionRefused_retriedThenFailsWithCause() throws Exception {
        SyncFixture f = new SyncFixture();
        try (f) {
            f.graph.close(); // nothing listens any more
            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().startsWith("token request to " + f.graph.tokenUrl + " failed: ConnectException"),
                    r.error());
            assertTrue(r.error().endsWith("(gave up after 4 attempts)"), r.error());
            assertEquals(3, f.sleeper.delays.size());
            assertNull(f.sync.status().lastSuccess());
        }
    }

    @Test
    void fullSync_indexSmallerThanStore_retiresFromTheStore() throws Exception {
        List<DeviceRecord> preloaded = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            preloaded.add(DeviceRecord.builder().deviceId(SyncFixture.id(n)).managementState(ManagementState.MANAGED)
                    .complianceState(ComplianceState.COMPLIANT).lastModified(Instant.parse("2026-01-01T00:00:00Z"))
                    .build());
        }
        try (SyncFixture f = new SyncFixture(b -> b, preloaded, IndexSettings.DEFAULTS.withMaxDevices(2))) {
            assertFalse(f.compliance.complete());
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(2, r.retired());
            assertEquals(ManagementState.RETIRED, f.stored(4).orElseThrow().managementState());
            assertEquals(ManagementState.RETIRED, f.stored(5).orElseThrow().managementState());
            assertEquals(ManagementState.MANAGED, f.stored(3).orElseThrow().managementState());
            assertEquals(ManagementState.RETIRED, f.lookup(5).orElseThrow().managementState());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guard: without the request timeout the sync waits forever
    void fullSync_noResponseHeadersWithinTimeout_retried() throws Exception {
        AtomicBoolean stalled = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        try (SyncFixture f = new SyncFixture(b -> b.requestTimeout(Duration.ofSeconds(1)))) {
            f.graph.setDevices(SyncFixture.devices(1));
            f.graph.intercept((n, ex) -> {
                if (n == 1) {
                    stall(stalled, release);
                    ex.close();
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertTrue(stalled.get(), "the sync finished while the first request was still unanswered: it gave up on it");
            assertTrue(r.succeeded(), r.error());
            assertEquals(1, r.retries());
            assertEquals(1, f.store.count());
        } finally {
            release.countDown();
        }
    }

    @Test
    void status_totalsAccumulateAcrossRuns() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            f.sync.runFull();
            f.clock.advance(Duration.ofHours(1));
            List<Map<String, Object>> next = SyncFixture.devices(1, 2);
            next.get(0).put("complianceState", "noncompliant");
            f.graph.setDevices(next);
            SyncReport second = f.sync.runFull();

            SyncStatus s = f.sync.status();
            assertEquals(2, s.runs());
            assertEquals(4, s.totalChangesApplied());
            assertEquals(1, s.totalRetired());
            assertEquals(second, s.lastRun());
            assertEquals(f.clock.instant(), s.lastSuccess());
        }
    }

    @Test
    void incrementalSync_overlap_picksUpChangesAtTheMarkAndLateCheckIns() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            fullSyncWithMarkAtDevice3(f);
            List<Map<String, Object>> later = SyncFixture.devices(1, 2, 3, 4);
            // device 3 changed within the mark's own second; device 4's check-in 2 minutes before the mark
            // became visible only after the mark was taken (Graph is eventually consistent)
            later.get(2).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            later.get(2).put("complianceState", "noncompliant");
            later.get(3).put("lastSyncDateTime", "2026-11-21T09:28:00Z");
            later.get(3).put("complianceState", "noncompliant");
            f.graph.setDevices(later);

            SyncReport r = f.sync.runIncremental();

            assertTrue(r.succeeded(), r.error());
            assertEquals(SyncMode.INCREMENTAL, r.mode());
            assertEquals(2, r.changesApplied());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(3).orElseThrow().complianceState());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(4).orElseThrow().complianceState());
            assertEquals(Duration.ofMinutes(5), f.sync.status().incrementalOverlap());

            // the next incremental reads both again: unchanged, so nothing is written
            f.clock.advance(Duration.ofMinutes(10));
            SyncReport again = f.sync.runIncremental();
            assertEquals(2, again.devicesSeen());
            assertEquals(2, again.unchanged());
            assertEquals(0, again.changesApplied());
        }
    }

    @Test
    void incrementalSync_overlapZero_asksForTheMarkItself() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.incrementalOverlap(Duration.ZERO))) {
            List<Map<String, Object>> all = SyncFixture.devices(1);
            all.get(0).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            f.graph.setDevices(all);
            assertTrue(f.sync.runFull().succeeded());
            f.graph.graphRequests.clear();

            assertTrue(f.sync.runIncremental().succeeded());

            assertTrue(f.graph.graphRequests.get(0).endsWith("$filter=lastSyncDateTime%20gt%202026-11-21T09:30:00Z"),
                    f.graph.graphRequests.get(0));
        }
    }

    @Test
    void futureLastSync_doesNotFreezeTheMark_norBlockTheDevicesLaterUpdates() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            List<Map<String, Object>> all = SyncFixture.devices(1, 2, 3);
            all.get(0).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            all.get(1).put("lastSyncDateTime", "2090-01-01T00:00:00Z"); // a device with a broken clock
            f.graph.setDevices(all);

            SyncReport first = f.sync.runFull();

            assertTrue(first.succeeded(), first.error());
            assertEquals(1, first.futureTimestamps());
            DeviceRecord two = f.stored(2).orElseThrow();
            assertEquals(Instant.parse("2090-01-01T00:00:00Z"), two.lastCheckIn().orElseThrow()); // stored as reported
            assertEquals(f.clock.instant(), two.lastModified()); // ordered by when nacgw read it
            SyncStatus s = f.sync.status();
            assertEquals(Instant.parse("2026-11-21T09:30:00Z"), s.highWaterMark());
            assertEquals(1, s.totalFutureTimestamps());
            assertEquals(1, s.clampEvents());
            assertEquals(Instant.parse("2090-01-01T00:00:00Z"), s.lastClamp().latestReported());
            assertEquals(s.highWaterMark(), s.lastClamp().mark());

            // the device's clock is fixed and the MDM marks it noncompliant: the next incremental applies that
            f.clock.advance(Duration.ofMinutes(10));
            List<Map<String, Object>> later = SyncFixture.devices(1, 2, 3);
            later.get(0).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            later.get(1).put("lastSyncDateTime", "2026-11-23T12:05:00Z");
            later.get(1).put("complianceState", "noncompliant");
            f.graph.setDevices(later);

            SyncReport r = f.sync.runIncremental();

            assertTrue(r.succeeded(), r.error());
            assertEquals(0, r.staleIgnored());
            assertEquals(ComplianceState.NONCOMPLIANT, f.lookup(2).orElseThrow().complianceState());
            assertEquals(Instant.parse("2026-11-23T12:05:00Z"), f.sync.status().highWaterMark());

            // and once it leaves the MDM it is retired like any other device
            f.clock.advance(Duration.ofHours(1));
            f.graph.remove(2);
            assertEquals(1, f.sync.runFull().retired());
            assertEquals(ManagementState.RETIRED, f.lookup(2).orElseThrow().managementState());
        }
    }

    @Test
    void mark_neverBeyondTheRunsStartOnTheInventorysClock() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            // checked in a minute after the run started by the inventory's clock (within the tolerated skew)
            Instant justAfter = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            List<Map<String, Object>> all = SyncFixture.devices(1);
            all.get(0).put("lastSyncDateTime", justAfter.toString());
            f.graph.setDevices(all);
            Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

            SyncReport r = f.sync.runFull();

            Instant after = Instant.now();
            assertTrue(r.succeeded(), r.error());
            assertEquals(0, r.futureTimestamps());
            assertEquals(justAfter, r.markClampedFrom());
            Instant mark = f.sync.status().highWaterMark();
            // the Date header of the first answer (whole seconds)
            assertFalse(mark.isBefore(before), mark + " before " + before);
            assertFalse(mark.isAfter(after), mark + " after " + after);
            assertEquals(0, f.sync.status().clampEvents()); // a normal check-in during the run is no clamp event
        }
    }

    @Test
    void markCap_isTheInventorysStart_elseOurStartPlusSkew() {
        Instant local = Instant.parse("2026-11-23T12:00:00Z");
        Instant inventory = Instant.parse("2026-11-23T12:03:00Z");
        assertEquals(inventory, GraphSync.markCap(inventory, local));
        assertEquals(local.plus(GraphDeviceMapper.SKEW), GraphSync.markCap(null, local));
    }

    @Test
    void fullSync_canLowerTheMark() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            List<Map<String, Object>> all = SyncFixture.devices(1, 2);
            all.get(0).put("lastSyncDateTime", "2026-11-23T11:59:00Z");
            all.get(1).put("lastSyncDateTime", "2026-11-21T09:30:00Z");
            f.graph.setDevices(all);
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(Instant.parse("2026-11-23T11:59:00Z"), f.sync.status().highWaterMark());
            f.clock.advance(Duration.ofHours(6));
            // the MDM corrects device 1's check-in time
            all.get(0).put("lastSyncDateTime", "2026-11-21T08:00:00Z");
            f.graph.setDevices(all);

            assertTrue(f.sync.runFull().succeeded());

            assertEquals(Instant.parse("2026-11-21T09:30:00Z"), f.sync.status().highWaterMark());
        }
    }

    @Test
    void fullSync_deletionWhilePaging_confirmsMissingDevicesOneByOne() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4, 5, 6, 7));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(6));
            List<Map<String, Object>> now = SyncFixture.devices(1, 2, 3, 4, 5, 6, 7);
            now.get(3).put("complianceState", "noncompliant");
            f.graph.setDevices(now);
            // device 2 is deleted in the MDM between page 1 and page 2: every later device moves up one place, so
            // page 2 (positions 3-5) starts at device 5 and device 4 is in no page at all
            f.graph.removeBeforeSecondPage(2);

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(2, r.pages()); // devices 1, 2, 3 | 5, 6, 7
            assertEquals(1, r.retireCandidates());
            assertEquals(1, r.retireConfirmedPresent());
            assertEquals(0, r.retired());
            assertEquals(List.of((String) FakeGraph.device(4).get("id")), f.graph.byIdRequests);
            DeviceRecord four = f.lookup(4).orElseThrow();
            assertEquals(ManagementState.MANAGED, four.managementState());
            assertEquals(ComplianceState.NONCOMPLIANT, four.complianceState()); // found, so applied
            assertNull(f.sync.status().retireGuard());

            // the next full sync misses device 2 (gone) and device 5 (shifted by another deletion): only 2 goes
            f.clock.advance(Duration.ofHours(6));
            f.graph.byIdRequests.clear();
            f.graph.removeBeforeSecondPage(3);

            SyncReport second = f.sync.runFull();

            assertTrue(second.succeeded(), second.error());
            assertEquals(2, second.retireCandidates());
            assertEquals(1, second.retireConfirmedPresent());
            assertEquals(1, second.retired());
            assertEquals(List.of((String) FakeGraph.device(2).get("id"), (String) FakeGraph.device(5).get("id")),
                    f.graph.byIdRequests.stream().sorted().toList());
            assertEquals(ManagementState.RETIRED, f.lookup(2).orElseThrow().managementState());
            assertEquals(ManagementState.MANAGED, f.lookup(5).orElseThrow().managementState());
            assertEquals(ManagementState.MANAGED, f.lookup(3).orElseThrow().managementState()); // seen on page 1
        }
    }

    @Test
    void fullSync_confirmationFails_runFailsAndRetiresNothing() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(6));
            f.graph.setDevices(SyncFixture.devices(1, 3));
            f.graph.intercept((n, ex) -> {
                if (ex.getRequestURI().getPath().endsWith((String) FakeGraph.device(2).get("id"))) {
                    FakeGraph.respond(ex, 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"no\"}}");
                    return true;
                }
                return false;
            });

            SyncReport r = f.sync.runFull();

            assertEquals(SyncReport.Outcome.FAILED, r.outcome());
            assertTrue(r.error().contains("answered HTTP 403: Forbidden no"), r.error());
            assertEquals(0, r.retired());
            assertEquals(ManagementState.MANAGED, f.stored(2).orElseThrow().managementState());
        }
    }

    @Test
    void fullSync_listingOf1OutOf2493_retiresNothingAndReportsTheGuard() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.pageSize(1000))) {
            f.graph.setGenerated(2_493, FakeGraph::device);
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(2_493, f.store.count());
            f.clock.advance(Duration.ofHours(6));
            f.graph.setDevices(SyncFixture.devices(7));

            SyncReport r = f.sync.runFull();

            assertTrue(r.succeeded(), r.error());
            assertEquals(0, r.retired());
            assertEquals(2_492, r.retireCandidates());
            assertEquals(new SyncReport.RetireGuard(f.clock.instant(), 2_492, 2_493, 500), r.retireGuard());
            assertTrue(f.graph.byIdRequests.isEmpty()); // not even asked one by one
            assertEquals(ManagementState.MANAGED, f.stored(0).orElseThrow().managementState());
            assertEquals(ManagementState.MANAGED, f.stored(2_492).orElseThrow().managementState());
            SyncStatus s = f.sync.status();
            assertEquals(r.retireGuard(), s.retireGuard());
            assertEquals(1, s.retireGuardEvents());

            // a later full sync that lists the fleet again clears the guard
            f.clock.advance(Duration.ofHours(6));
            f.graph.setGenerated(2_493, FakeGraph::device);
            assertTrue(f.sync.runFull().succeeded());
            assertNull(f.sync.status().retireGuard());
            assertEquals(1, f.sync.status().retireGuardEvents());
        }
    }

    @Test
    void fullSync_retireGuardThreshold_isConfigurable() throws Exception {
        try (SyncFixture f = new SyncFixture(b -> b.retireGuardMinimum(1).retireGuardPercent(0))) {
            f.graph.setDevices(SyncFixture.devices(1, 2, 3, 4));
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(SyncFixture.devices(1, 2, 3));
            assertEquals(1, f.sync.runFull().retired()); // 1 missing: at the threshold, confirmed and retired
            f.clock.advance(Duration.ofHours(1));
            f.graph.setDevices(SyncFixture.devices(1));

            SyncReport r = f.sync.runFull();

            assertEquals(0, r.retired()); // 2 missing: above it
            assertEquals(1, r.retireGuard().threshold());
            assertEquals(ManagementState.MANAGED, f.stored(2).orElseThrow().managementState());
        }
    }
}
