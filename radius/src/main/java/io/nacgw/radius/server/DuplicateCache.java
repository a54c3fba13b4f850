package io.nacgw.radius.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * RFC 5080 §2.2.2 duplicate detection for one service port: requests keyed by (source address, source port, code,
 * identifier) and told apart by their authenticator. A retransmission that was answered gets the cached bytes; one
 * still being processed is dropped; a new authenticator under the same key replaces the old entry. Bounded in size
 * and time (an entry counts for a fixed time after the request arrived); thread-safe across the port's channels.
 * <p>
 * A direct-mapped table: each key has one slot (a power of two of them, at most {@code maxEntries}), and a request
 * whose key shares the slot of a live one replaces it, as if that one had been evicted. Every request costs one
 * slot read and one compare-and-set, nothing else: no lock, no maintenance, nothing allocated besides the entry
 * (a general-purpose cache's bookkeeping was the largest single cost of the request path). Losing an entry early
 * only means a retransmission of that request is decided again, which gives the same answer.
 */
final class DuplicateCache {
    /** What to do with an arriving request. */
    enum Verdict { NEW, RESEND, IN_PROGRESS }

    /** The request seen under a key: the key, its authenticator, its arrival, and the reply once sent. */
    private static final class Entry {
        private final InetSocketAddress peer;
        private final int code;
        private final int identifier;
        private final byte[] authenticator;
        private final long arrivedMillis;
        private volatile byte[] reply;

        Entry(InetSocketAddress peer, int code, int identifier, byte[] authenticator, long arrivedMillis) {
            this.peer = peer;
            this.code = code;
            this.identifier = identifier;
            this.authenticator = authenticator;
            this.arrivedMillis = arrivedMillis;
        }

        boolean is(InetSocketAddress p, int c, int id, byte[] auth) {
            return identifier == id && code == c && peer.equals(p) && Arrays.equals(authenticator, auth);
        }
    }

    /** The outcome of {@link #begin}: the verdict and, for {@link Verdict#RESEND}, the cached reply. */
    record Lookup(Verdict verdict, byte[] reply) {
    }

    private static final Lookup NEW = new Lookup(Verdict.NEW, null);
    private static final Lookup IN_PROGRESS = new Lookup(Verdict.IN_PROGRESS, null);

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;
    private final long ttlMillis;
    private final Clock clock;

    /** A cache of at most {@code maxEntries}, each living {@code ttl} after its request arrived, timed by {@code clock}. */
    DuplicateCache(int maxEntries, Duration ttl, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        int n = Integer.highestOneBit(Math.min(maxEntries, 1 << 30));
        this.slots = new AtomicReferenceArray<>(n);
        this.mask = n - 1;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    private int slot(InetSocketAddress peer, int code, int identifier) {
        int h = peer.hashCode() * 31 + (code << 8 | identifier);
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        return (h ^ h >>> 16) & mask;
    }

    private boolean live(Entry e, long now) {
        return now - e.arrivedMillis < ttlMillis;
    }

    /** Registers a request unless it is a duplicate; see {@link Verdict}. */
    Lookup begin(InetSocketAddress peer, int code, int identifier, byte[] authenticator) {
        int i = slot(peer, code, identifier);
        long now = clock.millis();
        Entry fresh = null;
        while (true) {
            Entry old = slots.get(i);
            if (old != null && live(old, now) && old.is(peer, code, identifier, authenticator)) {
                byte[] reply = old.reply;
                return reply != null ? new Lookup(Verdict.RESEND, reply) : IN_PROGRESS;
            }
            if (fresh == null) {
                fresh = new Entry(peer, code, identifier, authenticator, now);
            }
            if (slots.compareAndSet(i, old, fresh)) {
                return NEW;
            }
        }
    }

    /** Stores the reply sent for a request (ignored when a newer request replaced the entry). */
    void complete(InetSocketAddress peer, int code, int identifier, byte[] authenticator, byte[] reply) {
        Entry e = slots.get(slot(peer, code, identifier));
        if (e != null && e.is(peer, code, identifier, authenticator)) {
            e.reply = reply;
        }
    }

    /** Forgets a request that got no reply, so the NAS's retransmission is processed again. */
    void abandon(InetSocketAddress peer, int code, int identifier, byte[] authenticator) {
        int i = slot(peer, code, identifier);
        Entry e = slots.get(i);
        if (e != null && e.reply == null && e.is(peer, code, identifier, authenticator)) {
            slots.compareAndSet(i, e, null);
        }
    }

    /** Entries held that have not expired (counts every slot: for tests and diagnostics, not the request path). */
    long size() {
        long now = clock.millis();
        long n = 0;
        for (int i = 0; i < slots.length(); i++) {
            Entry e = slots.get(i);
            if (e != null && live(e, now)) {
                n++;
            }
        }
        return n;
    }
}
