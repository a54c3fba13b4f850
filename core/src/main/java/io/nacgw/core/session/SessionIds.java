package io.nacgw.core.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * New session ids, ordered by the time they were made (like UUIDv7): 32 lowercase hex digits, the first 16 the
 * millisecond of the clock (48 bits) and a sequence within it (16 bits), the last 16 random. Each insert then lands at
 * the right-hand end of the primary key's B-tree instead of on a random page of it: a storm of new endpoints dirties
 * a few pages of that index per commit, not one per row (SQLite and PostgreSQL alike).
 *
 * <p>Uniqueness: one generator's first 16 digits strictly increase, so its ids never repeat, however many it makes
 * in one millisecond (past 65,536 the sequence carries into the next millisecond) and whatever its clock does (a clock
 * that steps back is held at the latest millisecond seen until it catches up). Ids of two generators (two nodes
 * sharing PostgreSQL) can only be equal when both their time parts and their 64 random bits are: the random bits are
 * the thread's {@link ThreadLocalRandom} mixed with a per-generator {@link SecureRandom} salt, so two nodes differ even
 * if their threads' random streams happened to be seeded alike.
 *
 * <p>Ids made before this class were 16 hex digits with the top bit set; they stay as they are. The two kinds never
 * collide (their lengths differ) and sort together as text, which is all the store asks of an id (keyset pages).
 */
final class SessionIds {
    /** The time part stays a positive long (48 bits of which the top one is 0): until the year 6429. */
    private static final long MAX_MILLIS = (1L << 47) - 1;
    private static final HexFormat HEX = HexFormat.of();
    /** Draws each generator's salt; one instance, seeded once by the platform. */
    private static final SecureRandom SALTS = new SecureRandom();

    private final Clock clock;
    private final long salt;
    /** The time part of the latest id: millisecond << 16 | sequence. */
    private final AtomicLong last = new AtomicLong();

    private final LongSupplier random;

    SessionIds(Clock clock) {
        this(clock, () -> ThreadLocalRandom.current().nextLong(), SALTS.nextLong());
    }

    /** With the random numbers and salt given (tests: two nodes whose random streams are alike). */
    SessionIds(Clock clock, LongSupplier random, long salt) {
        this.clock = clock;
        this.random = random;
        this.salt = salt;
    }

    /** A new id, greater (as text) than every id this generator made before. */
    String next() {
        long floor = Math.min(Math.max(clock.millis(), 0), MAX_MILLIS) << 16;
        long prev;
        long time;
        do {
            prev = last.get();
            time = Math.max(prev + 1, floor);
        } while (!last.compareAndSet(prev, time));
        return HEX.toHexDigits(time) + HEX.toHexDigits(random.getAsLong() ^ salt);
    }
}
