package io.nacgw.nacapi;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.service.ComplianceService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Keyset pages of the devices matching a predicate, ordered by device id as unsigned 128-bit numbers (the order
 * the store gives device ids: PostgreSQL uuid, SQLite 16-byte big-endian blobs). Blocking and CPU-heavy: runs on a
 * worker, never on an event loop. Uses the resident index when it holds every device, else pages through the store.
 */
final class DeviceListing {
    /** A position in device-id order. */
    record Cursor(long msb, long lsb) {
        static Cursor of(DeviceRecord d) {
            UUID u = d.deviceId().uuid();
            return new Cursor(u.getMostSignificantBits(), u.getLeastSignificantBits());
        }

        int compareTo(long m, long l) {
            int c = Long.compareUnsigned(msb, m);
            return c != 0 ? c : Long.compareUnsigned(lsb, l);
        }
    }

    /** One page; {@code more} is true when devices follow the last one. */
    record Page(List<DeviceRecord> devices, boolean more) {
    }

    static final Comparator<DeviceRecord> ORDER = (a, b) -> {
        UUID x = a.deviceId().uuid();
        UUID y = b.deviceId().uuid();
        int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    };
    private static final int STORE_CHUNK = 1000;

    private final ComplianceService service;

    DeviceListing(ComplianceService service) {
        this.service = service;
    }

    /** Up to {@code limit} matching devices after {@code after} (null: from the start). */
    Page page(Predicate<DeviceRecord> matches, Cursor after, int limit) {
        return service.complete() ? fromMemory(matches, after, limit) : fromStore(matches, after, limit);
    }

    private Page fromMemory(Predicate<DeviceRecord> matches, Cursor after, int limit) {
        // the limit+1 smallest ids after the cursor: a max-heap evicting its largest keeps O(n log k)
        PriorityQueue<DeviceRecord> best = new PriorityQueue<>(limit + 2, ORDER.reversed());
        service.forEachResident(d -> {
            if (after != null) {
                UUID u = d.deviceId().uuid();
                if (after.compareTo(u.getMostSignificantBits(), u.getLeastSignificantBits()) >= 0) {
                    return;
                }
            }
            if (best.size() > limit && ORDER.compare(d, best.peek()) >= 0) {
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
        boolean more = out.size() > limit;
        return new Page(more ? out.subList(0, limit) : out, more);
    }

    private Page fromStore(Predicate<DeviceRecord> matches, Cursor after, int limit) {
        List<DeviceRecord> out = new ArrayList<>(Math.min(limit + 1, 1024));
        DeviceGuid from = after == null ? null : DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(after.msb(), after.lsb()));
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
            from = chunk.get(chunk.size() - 1).deviceId();
        }
        boolean more = out.size() > limit;
        return new Page(more ? out.subList(0, limit) : out, more);
    }
}
