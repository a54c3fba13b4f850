package io.nacgw.radius.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * RFC 5080 §2.2.2 duplicate detection for one service port: requests keyed by (source address, source port, code,
 * identifier) and told apart by their authenticator. A retransmission that was answered gets the cached bytes; one
 * still being processed is dropped; a new authenticator under the same key replaces the old entry. Bounded in size
 * and time (entries expire a fixed time after they were last written); thread-safe across the port's channels.
 */
public final class DuplicateCache {
    /** What to do with an arriving request. */
    enum Verdict { NEW, RESEND, IN_PROGRESS }

    record Key(InetSocketAddress peer, int code, int identifier) {
    }

    /** The request seen under a key: its authenticator, and the reply once sent (null while in progress). */
    record Entry(byte[] authenticator, byte[] reply) {
    }

    /** The outcome of {@link #begin}: the verdict and, for {@link Verdict#RESEND}, the cached reply. */
    record Lookup(Verdict verdict, byte[] reply) {
    }

    private final Cache<Key, Entry> cache;

    /** A cache of at most {@code maxEntries}, each living {@code ttl} after its last write, timed by {@code clock}. */
    public DuplicateCache(int maxEntries, Duration ttl, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run) // maintenance on the caller: no extra threads, deterministic in tests
                .build();
    }

    /** Registers a request unless it is a duplicate; see {@link Verdict}. */
    Lookup begin(InetSocketAddress peer, int code, int identifier, byte[] authenticator) {
        Entry fresh = new Entry(authenticator, null);
        Entry now = cache.asMap().compute(new Key(peer, code, identifier),
                (k, old) -> old == null || !Arrays.equals(old.authenticator, authenticator) ? fresh : old);
        if (now == fresh) {
            return new Lookup(Verdict.NEW, null);
        }
        return now.reply != null ? new Lookup(Verdict.RESEND, now.reply) : new Lookup(Verdict.IN_PROGRESS, null);
    }

    /** Stores the reply sent for a request (ignored when a newer request replaced the entry). */
    void complete(InetSocketAddress peer, int code, int identifier, byte[] authenticator, byte[] reply) {
        cache.asMap().computeIfPresent(new Key(peer, code, identifier),
                (k, old) -> Arrays.equals(old.authenticator, authenticator) ? new Entry(authenticator, reply) : old);
    }

    /** Forgets a request that got no reply, so the NAS's retransmission is processed again. */
    void abandon(InetSocketAddress peer, int code, int identifier, byte[] authenticator) {
        cache.asMap().computeIfPresent(new Key(peer, code, identifier),
                (k, old) -> old.reply == null && Arrays.equals(old.authenticator, authenticator) ? null : old);
    }

    /** Entries held (approximate). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
