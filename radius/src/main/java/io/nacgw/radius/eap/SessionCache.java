package io.nacgw.radius.eap;

import org.bouncycastle.tls.TlsSession;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TLS 1.2 sessions EAP-TLS can resume, bounded in number and age; when full, the oldest goes. Not a Caffeine
 * cache on purpose: its frequency-based admission refuses about half of the new entries once more sessions than its
 * size have passed through (every session is written once and read rarely), so after a day of full handshakes a
 * device's newest session would often not be resumable. First in, first out matches how sessions are used: the
 * newest are the ones devices come back with. One lock, held for map operations only (no I/O).
 */
final class SessionCache {
    private record Entry(TlsSession session, long writtenMillis) {
    }

    private final int maxSize;
    private final long lifetimeMillis;
    private final Clock clock;
    private final LinkedHashMap<ByteBuffer, Entry> sessions = new LinkedHashMap<>();

    SessionCache(int maxSize, Duration lifetime, Clock clock) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        this.maxSize = maxSize;
        this.lifetimeMillis = lifetime.toMillis();
        this.clock = clock;
    }

    /** The session of {@code id} while its lifetime lasts, else null. */
    synchronized TlsSession get(byte[] id) {
        ByteBuffer key = ByteBuffer.wrap(id.clone());
        Entry e = sessions.get(key);
        if (e == null) {
            return null;
        }
        if (expired(e, clock.millis())) {
            sessions.remove(key);
            return null;
        }
        return e.session();
    }

    /** Remembers {@code session} as the newest, dropping expired ones and, beyond the size, the oldest. */
    synchronized void put(byte[] id, TlsSession session) {
        ByteBuffer key = ByteBuffer.wrap(id.clone());
        sessions.remove(key); // re-inserted as the newest
        long now = clock.millis();
        sessions.put(key, new Entry(session, now));
        purgeExpired(now);
        Iterator<Map.Entry<ByteBuffer, Entry>> oldest = sessions.entrySet().iterator();
        while (sessions.size() > maxSize && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    synchronized void remove(byte[] id) {
        sessions.remove(ByteBuffer.wrap(id.clone()));
    }

    /** Sessions held and not yet expired. */
    synchronized int size() {
        purgeExpired(clock.millis());
        return sessions.size();
    }

    private void purgeExpired(long now) {
        // insertion order is write order, so the expired ones are at the head
        Iterator<Entry> it = sessions.values().iterator();
        while (it.hasNext() && expired(it.next(), now)) {
            it.remove();
        }
    }

    private boolean expired(Entry e, long now) {
        return now - e.writtenMillis() >= lifetimeMillis;
    }
}
