package io.nacgw.core.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.UpsertOutcome;
import io.nacgw.core.store.Upserted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** {@link ComplianceService} over a {@link DeviceIndex}, with Caffeine caches for devices beyond the bound. */
final class DefaultComplianceService implements ComplianceService {
    private static final Logger log = LoggerFactory.getLogger(DefaultComplianceService.class);
    private static final CompletableFuture<Optional<DeviceRecord>> ABSENT = CompletableFuture.completedFuture(Optional.empty());

    private final ComplianceStore store;
    private final IndexSettings settings;
    private final DeviceIndex index;
    private final Cache<Long, Boolean> negative;
    private final Cache<Long, DeviceRecord> overflow;
    private final ConcurrentHashMap<Long, CompletableFuture<Optional<DeviceRecord>>> inflight = new ConcurrentHashMap<>();
    /** Threads reading the store into the index at start (one per processor, at most 4). */
    private static final int LOAD_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    private final ThreadPoolExecutor loader;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean complete;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder storeLoads = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder stale = new LongAdder();

    DefaultComplianceService(ComplianceStore store, IndexSettings settings, LongSupplier nanoTicker) {
        this.store = store;
        this.settings = settings;
        this.negative = Caffeine.newBuilder().ticker(nanoTicker::getAsLong).maximumSize(1_000_000)
                .expireAfterWrite(settings.negativeTtl()).build();
        this.overflow = Caffeine.newBuilder().ticker(nanoTicker::getAsLong).maximumSize(settings.overflowCacheSize())
                .expireAfterWrite(settings.overflowTtl()).build();
        this.loader = new ThreadPoolExecutor(settings.loaderThreads(), settings.loaderThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.loaderQueue()), DaemonThreads.numbered("nacgw-index-loader"));
        loader.allowCoreThreadTimeOut(true);
        long total = store.count();
        this.index = new DeviceIndex((int) Math.min(total, settings.maxDevices()));
        long start = System.nanoTime();
        LongAdder resident = new LongAdder();
        store.forEachBatch(LOAD_THREADS, batch -> resident.add(index.putAllIfNewer(batch, settings.maxDevices())));
        long loaded = resident.sum();
        this.complete = loaded >= total;
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (complete) {
            log.info("compliance index loaded {} devices in {} ms", loaded, ms);
        } else {
            log.warn("compliance index holds {} of {} devices (index.maxDevices={}); the rest are loaded from the "
                    + "store on demand", loaded, total, settings.maxDevices());
        }
    }

    @Override
    public CompletableFuture<Optional<DeviceRecord>> lookup(DeviceIdentifier id) {
        DeviceRecord r = index.get(id);
        if (r != null) {
            hits.increment();
            return CompletableFuture.completedFuture(Optional.of(r));
        }
        if (complete) {
            misses.increment();
            return ABSENT;
        }
        long key = id.indexKey();
        DeviceRecord cached = overflow.getIfPresent(key);
        if (cached != null && cached.matches(id)) {
            hits.increment();
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        if (negative.getIfPresent(key) != null) {
            misses.increment();
            return ABSENT;
        }
        return loadFromStore(id, key);
    }

    private CompletableFuture<Optional<DeviceRecord>> loadFromStore(DeviceIdentifier id, long key) {
        CompletableFuture<Optional<DeviceRecord>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<DeviceRecord>> existing = inflight.putIfAbsent(key, mine);
        if (existing != null) {
            // same key already loading; a hashed-key collision with another identifier just waits and re-checks
            return existing.thenCompose(o -> o.isPresent() && o.get().matches(id) ? existing : lookup(id));
        }
        try {
            loader.execute(() -> {
                try {
                    storeLoads.increment();
                    List<DeviceRecord> found = store.find(id);
                    DeviceRecord best = found.stream().reduce((a, b) -> b.lastModifiedEpochMilli() > a.lastModifiedEpochMilli() ? b : a)
                            .orElse(null);
                    if (best == null) {
                        negative.put(key, Boolean.TRUE);
                        misses.increment();
                    } else {
                        overflow.put(key, best);
                        hits.increment();
                    }
                    mine.complete(Optional.ofNullable(best));
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    inflight.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            inflight.remove(key, mine);
            overloaded.increment();
            mine.completeExceptionally(new OverloadedException("device lookup queue is full ("
                    + settings.loaderQueue() + " waiting)"));
        }
        return mine;
    }

    @Override
    public DeviceRecord findResident(DeviceIdentifier id) {
        return index.get(id);
    }

    @Override
    public boolean complete() {
        return complete;
    }

    @Override
    public List<UpsertOutcome> upsertAll(List<DeviceRecord> records) {
        // beyond the bound the previous version of a device may live only in the store: read it first, so the
        // change event still carries it (CoA compares before and after)
        java.util.Map<DeviceGuid, DeviceRecord> storedBefore = new java.util.HashMap<>();
        if (!complete) {
            for (DeviceRecord r : records) {
                if (index.findById(r.deviceId()) == null) {
                    store.get(r.deviceId()).ifPresent(b -> storedBefore.put(b.deviceId(), b));
                }
            }
        }
        List<Upserted> done = store.upsertAllSequenced(records);
        List<UpsertOutcome> outcomes = new ArrayList<>(done.size());
        for (int i = 0; i < records.size(); i++) {
            outcomes.add(done.get(i).outcome());
            if (!done.get(i).outcome().applied()) {
                stale.increment();
                continue;
            }
            // what memory holds carries the store's sequence, so listings page from memory alone
            DeviceRecord r = records.get(i).withStoreSequence(done.get(i).storeSequence());
            DeviceRecord before = index.putIfNewer(r, settings.maxDevices());
            if (before == r) {
                continue; // a newer version reached memory first (a concurrent writer): it already emitted
            }
            if (before == null && index.findById(r.deviceId()) == null) {
                // over the bound: serve from the store, and forget what the caches said about its identifiers
                complete = false;
                invalidate(r);
            }
            if (before == null) {
                before = storedBefore.get(r.deviceId());
            }
            emit(new DeviceChange(before, r));
        }
        return outcomes;
    }

    private void invalidate(DeviceRecord r) {
        r.forEachIndexKey(k -> {
            negative.invalidate(k);
            overflow.invalidate(k);
        });
    }

    @Override
    public boolean delete(DeviceGuid deviceId) {
        DeviceRecord before = index.findById(deviceId);
        boolean resident = before != null;
        if (before == null && !complete) {
            before = store.get(deviceId).orElse(null);
        }
        boolean deleted = store.delete(deviceId);
        // null while it was resident: the change-log follower applied this deletion first and emitted it
        boolean removedHere = index.remove(deviceId) != null || !resident;
        if (before != null && removedHere) {
            invalidate(before);
            emit(new DeviceChange(before, null));
        }
        return deleted;
    }

    @Override
    public void applyStored(DeviceGuid deviceId, DeviceRecord current) {
        if (current == null) {
            DeviceRecord before = index.remove(deviceId);
            if (before != null) {
                invalidate(before);
                emit(new DeviceChange(before, null));
            }
            return;
        }
        DeviceRecord before = index.putIfNewer(current, settings.maxDevices());
        if (before == current) {
            return; // memory holds this version (our own write, or a repeated change) or a newer one
        }
        if (before == null && index.findById(deviceId) == null) {
            complete = false;
            invalidate(current);
        }
        emit(new DeviceChange(before, current));
    }

    private void emit(DeviceChange change) {
        for (ChangeListener l : listeners) {
            try {
                l.onChange(change);
            } catch (RuntimeException e) {
                log.warn("change listener {} failed: {}", l, e.toString());
            }
        }
    }

    @Override
    public int residentCount() {
        return index.size();
    }

    @Override
    public void forEachResident(Consumer<DeviceRecord> sink) {
        index.forEach(sink);
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public Stats stats() {
        return new Stats(index.size(), hits.sum(), misses.sum(), storeLoads.sum(), overloaded.sum(), stale.sum());
    }

    @Override
    public ComplianceStore store() {
        return store;
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
