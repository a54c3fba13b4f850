package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.service.ChangeListener;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.OverloadedException;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.UpsertOutcome;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the index's loader is full, lookups are shed with 503, Retry-After and (ISE v3) server_busy_wait_seconds. */
final class ShedLoadTest {

    /** Delegates to the real index but refuses every lookup as overloaded. */
    private record Overloaded(ComplianceService real) implements ComplianceService {
        @Override
        public CompletableFuture<Optional<DeviceRecord>> lookup(DeviceIdentifier id) {
            return CompletableFuture.failedFuture(new OverloadedException("loader full"));
        }

        @Override
        public DeviceRecord findResident(DeviceIdentifier id) {
            return real.findResident(id);
        }

        @Override
        public boolean complete() {
            return real.complete();
        }

        @Override
        public List<UpsertOutcome> upsertAll(List<DeviceRecord> records) {
            return real.upsertAll(records);
        }

        @Override
        public boolean delete(DeviceGuid deviceId) {
            return real.delete(deviceId);
        }

        @Override
        public void applyStored(DeviceGuid deviceId, DeviceRecord current) {
            real.applyStored(deviceId, current);
        }

        @Override
        public int residentCount() {
            return real.residentCount();
        }

        @Override
        public void forEachResident(Consumer<DeviceRecord> sink) {
            real.forEachResident(sink);
        }

        @Override
        public void addListener(ChangeListener listener) {
            real.addListener(listener);
        }

        @Override
        public Stats stats() {
            return real.stats();
        }

        @Override
        public ComplianceStore store() {
            return real.store();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void overloadedIndex_isShedWithBusyHints() throws Exception {
        IseSettings ise = new IseSettings(TestGateway.REDIRECT, 100, "nacgw", "nacgw", "0.1.0", 45);
        try (TestGateway gw = new TestGateway(s -> s, ise, Overloaded::new)) {
            HttpClient c = gw.client(gw.partnerCert);
            HttpResponse<String> v3 = gw.get(c, "/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress"
                    + "&value=020000000001&filter=all", null);
            assertEquals(503, v3.statusCode());
            assertEquals("45", v3.headers().firstValue("Retry-After").orElse(""));
            Xml x = Xml.parse(v3.body());
            assertEquals("45", x.text("server_busy_wait_seconds"));
            HttpResponse<String> json = gw.get(c, "/api/v1/devices/lookup?mac=020000000001", null);
            assertEquals(503, json.statusCode());
            assertEquals("application/problem+json", json.headers().firstValue("Content-Type").orElse(""));
            assertTrue(gw.server.stats().shed() >= 2);
        }
    }
}
