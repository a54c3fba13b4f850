package io.nacgw.core.store;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable device records, the source of truth behind the in-memory index. Every method blocks on I/O: never call
 * it from an event loop. A write returns only after it is committed.
 */
public interface ComplianceStore extends AutoCloseable {

    /** Opens (and migrates) the JDBC store described by {@code settings}. */
    static ComplianceStore open(StoreSettings settings) {
        return JdbcComplianceStore.open(settings);
    }

    /** Stores {@code record} unless the stored one is as new or newer; committed when this returns. */
    default UpsertOutcome upsert(DeviceRecord record) {
        return upsertAll(List.of(record)).get(0);
    }

    /** Upserts a batch in one transaction; outcomes in the order of {@code records}. */
    default List<UpsertOutcome> upsertAll(List<DeviceRecord> records) {
        List<Upserted> done = upsertAllSequenced(records);
        List<UpsertOutcome> out = new ArrayList<>(done.size());
        for (Upserted u : done) {
            out.add(u.outcome());
        }
        return out;
    }

    /**
     * As {@link #upsertAll}, also giving each applied record's store sequence number (what the in-memory index
     * keeps with the record so that listings page by it without asking the store).
     */
    List<Upserted> upsertAllSequenced(List<DeviceRecord> records);

    /** Deletes a device; false when there was none. */
    boolean delete(DeviceGuid deviceId);

    /** The device with this MDM device id. */
    Optional<DeviceRecord> get(DeviceGuid deviceId);

    /**
     * The stored devices among {@code deviceIds} (absent ones are left out), in no particular order; one query per
     * chunk where the engine allows, so applying a batch of the change log costs a round trip, not one per device.
     */
    default List<DeviceRecord> getAll(java.util.Collection<DeviceGuid> deviceIds) {
        List<DeviceRecord> out = new ArrayList<>(deviceIds.size());
        for (DeviceGuid id : deviceIds) {
            get(id).ifPresent(out::add);
        }
        return out;
    }

    /** Every device carrying {@code id} (usually zero or one; a MAC can linger on a retired device). */
    List<DeviceRecord> find(DeviceIdentifier id);

    /** Devices whose user principal name equals {@code upn} (case-insensitive). */
    List<DeviceRecord> findByUser(String upn);

    /**
     * Up to {@code limit} devices in store-sequence order whose sequence is above {@code afterSequence} (0: from the
     * start); see {@link DeviceRecord#storeSequence()}.
     */
    List<DeviceRecord> page(long afterSequence, int limit);

    /**
     * The MDM timestamp ({@link DeviceRecord#lastModified()}) of the deleted version of each of {@code deviceIds}
     * whose deletion is in the shared change log (PostgreSQL: the newest logged deletion of the device), so a node
     * that no longer holds a deleted device can name its deletion the way the nodes that saw it do. Devices never
     * deleted, or whose deletion was pruned from the log, are left out. The embedded store (SQLite, one node) keeps
     * no change log, and a node alone needs no key other nodes share: it answers empty, as does a store without one.
     */
    default java.util.Map<DeviceGuid, java.time.Instant> deletedVersions(java.util.Collection<DeviceGuid> deviceIds) {
        return java.util.Map.of();
    }

    /** Number of stored devices. */
    long count();

    /** Streams every device to {@code sink} without loading them all at once. */
    void forEach(Consumer<DeviceRecord> sink);

    /**
     * Streams every device to {@code sink} in batches of up to {@link #SCAN_BATCH} (a list the store reuses once
     * {@code sink} returns), from up to {@code threads} threads at once where the store can read parts of itself in
     * parallel (the embedded store: ranges of its table on separate connections), so {@code sink} must be
     * thread-safe. Returns when every part is read; the first failure is thrown. Like {@link #forEach} across the
     * parts it is not one snapshot: for a start-up, before anything of this process writes. By default
     * {@link #forEach} on the caller's thread.
     */
    default void forEachBatch(int threads, Consumer<List<DeviceRecord>> sink) {
        List<DeviceRecord> batch = new ArrayList<>(SCAN_BATCH);
        forEach(r -> {
            batch.add(r);
            if (batch.size() == SCAN_BATCH) {
                sink.accept(batch);
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }

    /** The most records {@link #forEachBatch} hands over at once. */
    int SCAN_BATCH = 1_000;

    /**
     * Writes a consistent copy of the whole embedded store (devices, sessions, sync state) to {@code file} while it
     * stays in use ({@code VACUUM INTO}: one read transaction, so concurrent writes are either in the copy or not).
     * {@code file} must not exist; it is created owner-only. A shared PostgreSQL store is backed up with
     * {@code pg_dump}: this throws {@link UnsupportedOperationException} saying so.
     */
    default void backupTo(java.nio.file.Path file) {
        throw new UnsupportedOperationException("this store cannot write a backup file; back PostgreSQL up with pg_dump");
    }

    /**
     * Small named values every node on this store agrees on (e.g. the MDM sync's high-water mark), by name; empty
     * names are absent. A store that keeps none (a fake, a list) answers empty: its callers start from scratch.
     */
    default java.util.Map<String, String> readState(java.util.Collection<String> names) {
        return java.util.Map.of();
    }

    /** Writes {@code values} (name → value, each at most 1,000 characters) in one transaction. */
    default void writeState(java.util.Map<String, String> values) {
    }

    /** Up, or down with the reason (writes are refused at once until the store answers again). */
    default StoreHealth health() {
        return StoreHealth.UP;
    }

    @Override
    void close();
}
