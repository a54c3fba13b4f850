package io.nacgw.radius.server;

import io.nacgw.core.log.LogThrottle;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.RadiusStats;
import io.nacgw.radius.codec.DropSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every counter of the server, and the one drop policy: count, DEBUG per packet, WARN at most once per reason per
 * {@link #WARN_INTERVAL_MS} with the number dropped since the last warning (a flood must not flood the log).
 */
public final class Counters implements DropSink {
    private static final Logger log = LoggerFactory.getLogger(Counters.class);
    static final long WARN_INTERVAL_MS = 10_000;
    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder[] drops = new LongAdder[REASONS.length];
    private final LogThrottle[] warn = new LogThrottle[REASONS.length];
    final LongAdder received = new LongAdder();
    final LongAdder accepts = new LongAdder();
    final LongAdder allowed = new LongAdder();
    final LongAdder quarantines = new LongAdder();
    final LongAdder rejects = new LongAdder();
    final LongAdder accountingStored = new LongAdder();
    final LongAdder statusServer = new LongAdder();
    final LongAdder duplicatesResent = new LongAdder();

    public Counters(Clock clock) {
        for (int i = 0; i < REASONS.length; i++) {
            drops[i] = new LongAdder();
            warn[i] = new LogThrottle(Duration.ofMillis(WARN_INTERVAL_MS),
                    () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }
    }

    @Override
    public void drop(DropReason reason, InetSocketAddress source, String detail) {
        int i = reason.ordinal();
        drops[i].increment();
        // without a source no datagram was dropped: a CoA refused or given up inside nacgw, the detail says by whom
        if (log.isDebugEnabled()) {
            if (source == null) {
                log.debug("drop {}: {}", reason.wireName(), detail);
            } else {
                log.debug("drop {} from {}: {}", reason.wireName(), source, detail);
            }
        }
        long suppressed = warn[i].admit();
        if (suppressed < 0) {
            return;
        }
        if (source == null) {
            log.warn("dropped {} for {} since the last warning; latest: {}", suppressed + 1, reason.wireName(), detail);
        } else {
            log.warn("dropped {} datagram(s) for {} since the last warning; latest from {}: {}", suppressed + 1,
                    reason.wireName(), source, detail);
        }
    }

    /** Counts a request received on a stream transport (RadSec), where no source lookup counts it. */
    public void countReceived() {
        received.increment();
    }

    /** Drops counted for {@code reason} so far. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    /** A snapshot, with the audit log's and the Accept recorder's own counters. */
    RadiusStats snapshot(long auditWritten, long auditDropped, long acceptsRecorded, long acceptsUnrecorded,
                                long acceptWrites, long acceptsWritten, long acceptWriterPausedNanos) {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            m.put(r, drops[r.ordinal()].sum());
        }
        return new RadiusStats(received.sum(), m, accepts.sum(), quarantines.sum(), rejects.sum(),
                accountingStored.sum(), statusServer.sum(), duplicatesResent.sum(), auditWritten, auditDropped,
                acceptsRecorded, acceptsUnrecorded, allowed.sum(), acceptWrites, acceptsWritten, acceptWriterPausedNanos);
    }
}
