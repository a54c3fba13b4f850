package io.nacgw.core.service;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.UpsertOutcome;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The compliance index: every device's record in memory, looked up by any identifier in O(1) without touching
 * the database, kept current by write-through updates that emit a {@link DeviceChange} per committed change.
 *
 * <p>Lookups are safe on event loops. Writes block on the store: call them from worker threads.
 */
public interface ComplianceService extends AutoCloseable {

    /** Loads every device from {@code store} (up to {@code settings.maxDevices()}) and returns the ready index. */
    static ComplianceService start(ComplianceStore store, IndexSettings settings) {
        return new DefaultComplianceService(store, settings, System::nanoTime);
    }

    /** As {@link #start(ComplianceStore, IndexSettings)} with an injected nanosecond ticker for cache expiry. */
    static ComplianceService start(ComplianceStore store, IndexSettings settings, LongSupplier nanoTicker) {
        return new DefaultComplianceService(store, settings, nanoTicker);
    }

    /**
     * The device carrying {@code id}. Completes at once when memory can answer (always, unless the store holds
     * more devices than the index may); otherwise after a bounded asynchronous store lookup, or exceptionally
     * with {@link OverloadedException} when the loader is full. Never blocks the caller.
     */
    CompletableFuture<Optional<DeviceRecord>> lookup(DeviceIdentifier id);

    /** Memory-only lookup: the resident record, or null (which is authoritative only when {@link #complete()}). */
    DeviceRecord findResident(DeviceIdentifier id);

    /** True when every stored device is resident, so a miss in memory means "unknown device". */
    boolean complete();

    /** Write-through upsert; returns after the store committed. */
    default UpsertOutcome upsert(DeviceRecord record) {
        return upsertAll(List.of(record)).get(0);
    }

    /** Write-through batch upsert (one transaction per store chunk); outcomes in input order. */
    List<UpsertOutcome> upsertAll(List<DeviceRecord> records);

    /** Deletes a device from store and memory; false when unknown. */
    boolean delete(DeviceGuid deviceId);

    /**
     * Applies a change another node committed: {@code current} is the device as the store now holds it (null: it
     * is gone). Updates memory and emits a {@link DeviceChange} unless memory already holds this version or newer.
     */
    void applyStored(DeviceGuid deviceId, DeviceRecord current);

    /** Resident devices. */
    int residentCount();

    /** Visits each resident device (memory only). */
    void forEachResident(Consumer<DeviceRecord> sink);

    /** Registers a listener for committed changes. */
    void addListener(ChangeListener listener);

    /** Counters for metrics. */
    Stats stats();

    /** The store behind the index, for listings that are not on a hot path. */
    ComplianceStore store();

    /** Stops the loader; does not close the store. */
    @Override
    void close();

    /**
     * Index counters.
     *
     * @param resident        devices in memory
     * @param hits            lookups answered with a device from memory
     * @param misses          lookups answered "unknown" from memory or the negative cache
     * @param storeLoads      lookups that asked the store
     * @param overloaded      lookups refused because the loader was full
     * @param staleUpdates    upserts ignored as older than the stored record
     */
    record Stats(long resident, long hits, long misses, long storeLoads, long overloaded, long staleUpdates) {
    }
}
