package io.nacgw.gateway;

import io.micrometer.core.instrument.Timer;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreHealth;
import io.nacgw.core.store.Upserted;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The compliance store with each call timed: writes (upserts, deletes) and reads (lookups, pages, counts) feed
 * the {@code nacgw_store_write} and {@code nacgw_store_read} timers, failures included. Full scans
 * ({@link #forEach}) are not timed: they are start-up work, not a latency anyone waits on.
 */
final class TimedComplianceStore implements ComplianceStore {
    private final ComplianceStore store;
    private final Timer writes;
    private final Timer reads;

    TimedComplianceStore(ComplianceStore store, Timer writes, Timer reads) {
        this.store = store;
        this.writes = writes;
        this.reads = reads;
    }

    @Override
    public List<Upserted> upsertAllSequenced(List<DeviceRecord> records) {
        return writes.record(() -> store.upsertAllSequenced(records));
    }

    @Override
    public boolean delete(DeviceGuid deviceId) {
        return writes.record(() -> store.delete(deviceId));
    }

    @Override
    public Optional<DeviceRecord> get(DeviceGuid deviceId) {
        return reads.record(() -> store.get(deviceId));
    }

    @Override
    public List<DeviceRecord> getAll(java.util.Collection<DeviceGuid> deviceIds) {
        return reads.record(() -> store.getAll(deviceIds));
    }

    @Override
    public List<DeviceRecord> find(DeviceIdentifier id) {
        return reads.record(() -> store.find(id));
    }

    @Override
    public List<DeviceRecord> findByUser(String upn) {
        return reads.record(() -> store.findByUser(upn));
    }

    @Override
    public List<DeviceRecord> page(long afterSequence, int limit) {
        return reads.record(() -> store.page(afterSequence, limit));
    }

    @Override
    public java.util.Map<DeviceGuid, java.time.Instant> deletedVersions(java.util.Collection<DeviceGuid> deviceIds) {
        return reads.record(() -> store.deletedVersions(deviceIds));
    }

    @Override
    public long count() {
        return reads.record(store::count);
    }

    @Override
    public void forEach(Consumer<DeviceRecord> sink) {
        store.forEach(sink);
    }

    @Override
    public void forEachBatch(int threads, Consumer<List<DeviceRecord>> sink) {
        store.forEachBatch(threads, sink);
    }

    @Override
    public void backupTo(java.nio.file.Path file) {
        store.backupTo(file);
    }

    @Override
    public StoreHealth health() {
        return store.health();
    }

    @Override
    public java.util.Map<String, String> readState(java.util.Collection<String> names) {
        return store.readState(names);
    }

    @Override
    public void writeState(java.util.Map<String, String> values) {
        store.writeState(values);
    }

    @Override
    public void close() {
        store.close();
    }
}
