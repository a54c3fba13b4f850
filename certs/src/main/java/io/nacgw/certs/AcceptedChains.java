package io.nacgw.certs;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client chains a {@link ClientChainVerifier} accepted, by their exact DER bytes: least recently used beyond
 * {@code capacity}, each until its deadline and only while the clock is inside every certificate's validity (a
 * chain that expires or is not valid yet is verified again, and refused with the reason). Thread-safe; the lock is
 * held for a map operation only (the TLS pool has a few threads).
 */
final class AcceptedChains {
    /** A chain's DER certificates, compared by content. */
    static final class Key {
        private final byte[][] der;
        private final int hash;

        Key(List<byte[]> chain) {
            this.der = chain.toArray(new byte[0][]);
            this.hash = Arrays.deepHashCode(der);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).hash == hash && Arrays.deepEquals(der, ((Key) o).der);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Entry(X509Certificate[] chain, Instant validFrom, Instant validUntil, Instant deadline) {
        boolean usableAt(Instant now) {
            return !now.isBefore(validFrom) && !now.isAfter(validUntil) && now.isBefore(deadline);
        }
    }

    private final Map<Key, Entry> map;

    AcceptedChains(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The chain accepted under {@code key} (a copy of the array), or null when unknown or no longer usable. */
    X509Certificate[] get(Key key, Instant now) {
        Entry e;
        synchronized (map) {
            e = map.get(key);
            if (e != null && !e.usableAt(now)) {
                map.remove(key);
                e = null;
            }
        }
        return e == null ? null : e.chain().clone();
    }

    /** Remembers an accepted chain until {@code deadline}, within its certificates' validity. */
    void put(Key key, X509Certificate[] chain, Instant now, Instant deadline) {
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        for (X509Certificate c : chain) {
            Instant nb = c.getNotBefore().toInstant();
            Instant na = c.getNotAfter().toInstant();
            from = nb.isAfter(from) ? nb : from;
            until = na.isBefore(until) ? na : until;
        }
        Entry e = new Entry(chain.clone(), from, until, deadline);
        if (e.usableAt(now)) {
            synchronized (map) {
                map.put(key, e);
            }
        }
    }

    int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
