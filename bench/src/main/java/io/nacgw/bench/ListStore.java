package io.nacgw.bench;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.Upserted;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** A read-only store that generates its devices on demand: lets benchmarks load millions without a database. */
final class ListStore implements ComplianceStore {
    private final int count;
    private final IntFunction<DeviceRecord> devices;

    ListStore(int count, IntFunction<DeviceRecord> devices) {
        this.count = count;
        this.devices = devices;
    }

    @Override
    public void forEach(Consumer<DeviceRecord> sink) {
        for (int i = 0; i < count; i++) {
            sink.accept(devices.apply(i));
        }
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public List<Upserted> upsertAllSequenced(List<DeviceRecord> records) {
        throw new UnsupportedOperationException("read-only benchmark store");
    }

    @Override
    public boolean delete(DeviceGuid deviceId) {
        throw new UnsupportedOperationException("read-only benchmark store");
    }

    @Override
    public Optional<DeviceRecord> get(DeviceGuid deviceId) {
        return Optional.empty();
    }

    @Override
    public List<DeviceRecord> find(DeviceIdentifier id) {
        return List.of();
    }

    @Override
    public List<DeviceRecord> findByUser(String upn) {
        return List.of();
    }

    @Override
    public List<DeviceRecord> page(long afterSequence, int limit) {
        return List.of();
    }

    @Override
    public void close() {
    }
}
