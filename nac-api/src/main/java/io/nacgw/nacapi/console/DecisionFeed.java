package io.nacgw.nacapi.console;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The decisions the audit log writes, fanned out to the console: live subscribers (server-sent events) and a ring of
 * the most recent lines (a device's last decisions). Counting is not done here: per-NAS decisions and latencies are
 * the gateway's metrics (its Micrometer registry), which the console's overview reads.
 *
 * <p>{@link #publish} is called by the audit writer thread, never by a RADIUS event loop, and never blocks: each
 * subscriber has a bounded queue and a full queue drops the line for that subscriber and counts it (a slow browser
 * loses events; RADIUS never waits for it). The ring is guarded by a lock held only for an array store or copy,
 * never across I/O. When the ring holds no line a query matches (after a restart, say), {@link #recent} reads the
 * audit files back through {@link AuditHistory}, bounded.
 */
public final class DecisionFeed {
    /** Default number of recent lines kept. */
    public static final int DEFAULT_RECENT = 10_000;

    private final String[] ring;
    private final AuditHistory history;
    private int next;
    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** Keeps the last {@code recent} lines (1 to 1,000,000); nothing read back from disk. */
    public DecisionFeed(int recent) {
        this(recent, null);
    }

    /**
     * Keeps the last {@code recent} lines (1 to 1,000,000); when none matches a query, looks in {@code history}
     * (null: nowhere).
     */
    public DecisionFeed(int recent, AuditHistory history) {
        this.history = history;
        if (recent < 1 || recent > 1_000_000) {
            throw new IllegalArgumentException("api.console.recentDecisions must be 1 to 1000000, got " + recent);
        }
        this.ring = new String[recent];
    }

    /** One audit line (a decision, or a CoA line with {@code "type":"coa"}). Never blocks. */
    public void publish(String line) {
        published.increment();
        synchronized (this) {
            ring[next] = line;
            next = (next + 1) % ring.length;
        }
        for (Subscription s : subscribers) {
            if (!s.queue.offer(line)) {
                s.dropped.increment();
                dropped.increment();
            }
        }
    }

    /** A live subscriber with room for {@code capacity} lines; close it when the client goes. */
    public Subscription subscribe(int capacity) {
        Subscription s = new Subscription(capacity);
        subscribers.add(s);
        return s;
    }

    /** Subscribers now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** Lines published since start. */
    public long published() {
        return published.sum();
    }

    /** Lines subscribers lost because their queue was full, since start. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * The most recent lines that {@code match}, newest first, at most {@code limit}: from the ring, or, when it has
     * none, from the audit files (blocking file I/O then: call it off the event loops).
     */
    public List<String> recent(Predicate<String> match, int limit) {
        List<String> out = recentInMemory(match, limit);
        return out.isEmpty() && history != null ? history.recent(match, limit) : out;
    }

    private List<String> recentInMemory(Predicate<String> match, int limit) {
        String[] copy;
        int start;
        synchronized (this) {
            copy = ring.clone();
            start = next;
        }
        List<String> out = new ArrayList<>();
        for (int k = 1; k <= copy.length && out.size() < limit; k++) {
            String line = copy[Math.floorMod(start - k, copy.length)];
            if (line == null) {
                break;
            }
            if (match.test(line)) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * A filter for {@link #recent}: decisions (not CoA lines) of device {@code deviceId}, looked up by MAC
     * {@code mac} (canonical form: lower case with colons), from NAS client {@code nas}; a null argument matches all.
     */
    public static Predicate<String> decisions(String deviceId, String mac, String nas) {
        return line -> {
            if (line.contains("\"type\":\"coa\"")) {
                return false;
            }
            if (deviceId != null && !deviceId.equalsIgnoreCase(AuditLines.string(line, "deviceId"))) {
                return false;
            }
            if (mac != null) {
                String used = AuditLines.string(line, "identifierUsed");
                if (used == null || !used.toLowerCase(java.util.Locale.ROOT).contains(mac)) {
                    return false;
                }
            }
            return nas == null || nas.equals(AuditLines.string(line, "nas"));
        };
    }

    /** One live subscriber: poll its lines; {@link #dropped()} says how many it lost. */
    public final class Subscription implements AutoCloseable {
        private final ArrayBlockingQueue<String> queue;
        private final LongAdder dropped = new LongAdder();

        private Subscription(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        /** The next line, or null when none is waiting. */
        public String poll() {
            return queue.poll();
        }

        /** Lines this subscriber lost because it did not keep up. */
        public long dropped() {
            return dropped.sum();
        }

        @Override
        public void close() {
            subscribers.remove(this);
            queue.clear();
        }
    }
}
