package io.nacgw.nacapi.ise;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.service.ComplianceService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Keyset pages of the devices matching a predicate, in store-sequence order ({@link DeviceRecord#storeSequence()}:
 * fixed when a device is first stored, unchanged by updates). The cursor is the last sequence of a page, a plain
 * integer, and a device that exists throughout a listing is listed exactly once whatever is added, changed or
 * deleted between pages. Blocking and CPU-heavy: runs on a worker, never on an event loop. Uses the resident index
 * when it holds every device, else pages through the store.
 */
public final class DeviceListing {
    /** One page; {@code more} is true when matching devices follow the last one. */
    public record Page(List<DeviceRecord> devices, boolean more) {
        /** The cursor to resume after this page. */
        long last() {
            return devices.get(devices.size() - 1).storeSequence();
        }
    }

    static final Comparator<DeviceRecord> ORDER = Comparator.comparingLong(DeviceRecord::storeSequence);
    private static final int STORE_CHUNK = 1000;

    private final ComplianceService service;

    public DeviceListing(ComplianceService service) {
        this.service = service;
    }

    /**
     * Matching devices after sequence {@code after} (0: from the start) whose entries add up to at most
     * {@code limit}, where a device counts {@code entries} (e.g. one per MAC in a MAC-keyed listing; at least 1).
     * A page holds whole devices; its first device is taken even when it alone exceeds the limit.
     */
    public Page page(Predicate<DeviceRecord> matches, long after, int limit, ToIntFunction<DeviceRecord> entries) {
        List<DeviceRecord> candidates = service.complete() ? fromMemory(matches, after, limit)
                : fromStore(matches, after, limit);
        List<DeviceRecord> out = new ArrayList<>(Math.min(candidates.size(), limit));
        int used = 0;
        for (DeviceRecord d : candidates) {
            int n = Math.max(1, entries.applyAsInt(d));
            if (!out.isEmpty() && used + n > limit) {
                break;
            }
            out.add(d);
            used += n;
        }
        return new Page(out, out.size() < candidates.size());
    }

    /** Up to limit+1 matching devices after the cursor, in order (each counts at least one entry). */
    private List<DeviceRecord> fromMemory(Predicate<DeviceRecord> matches, long after, int limit) {
        // the limit+1 smallest sequences after the cursor: a max-heap evicting its largest keeps O(n log k)
        PriorityQueue<DeviceRecord> best = new PriorityQueue<>(limit + 2, ORDER.reversed());
        service.forEachResident(d -> {
            long seq = d.storeSequence();
            if (seq <= after) {
                return;
            }
            if (best.size() > limit && seq >= best.peek().storeSequence()) {
                return;
            }
            if (!matches.test(d)) {
                return;
            }
            best.add(d);
            if (best.size() > limit + 1) {
                best.poll();
            }
        });
        List<DeviceRecord> out = new ArrayList<>(best);
        out.sort(ORDER);
        return out;
    }

    private List<DeviceRecord> fromStore(Predicate<DeviceRecord> matches, long after, int limit) {
        List<DeviceRecord> out = new ArrayList<>(Math.min(limit + 1, 1024));
        long from = after;
        while (out.size() <= limit) {
            List<DeviceRecord> chunk = service.store().page(from, STORE_CHUNK);
            for (DeviceRecord d : chunk) {
                if (matches.test(d)) {
                    out.add(d);
                    if (out.size() > limit) {
                        break;
                    }
                }
            }
            if (chunk.size() < STORE_CHUNK) {
                break;
            }
            from = chunk.get(chunk.size() - 1).storeSequence();
        }
        return out;
    }
}
