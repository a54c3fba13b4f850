package io.nacgw.radius;

import java.util.Map;

/**
 * A snapshot of the server's counters, for metrics. Counters only grow.
 *
 * @param received          datagrams received on both ports
 * @param drops             datagrams dropped, by reason (every reason present, zero included)
 * @param accepts           Access-Accepts sent (quarantine included)
 * @param quarantines       of which quarantine Accepts
 * @param rejects           Access-Rejects sent
 * @param accountingStored  Accounting-Responses sent after the record was committed
 * @param statusServer      Status-Server requests answered
 * @param duplicatesResent  retransmissions answered from the duplicate cache
 * @param auditWritten      audit lines handed to the sink
 * @param auditDropped      audit lines dropped because the audit queue was full or the sink failed
 * @param acceptsRecorded   Access-Accepts the session table holds (written, or an identical one written &lt;10 s before)
 * @param acceptsUnrecorded Access-Accepts not written there (session queue full or the write failed)
 * @param allowed           Access-Accepts for allowed devices (quarantines not included)
 * @param acceptWrites      session-table transactions of the Accept recorder
 * @param acceptsWritten    Access-Accepts written in them (divided by {@code acceptWrites}: the mean batch)
 * @param acceptWriterPausedNanos time the Accept recorder paused to leave the CPU to answering while the ports were saturated
 */
public record RadiusStats(long received, Map<DropReason, Long> drops, long accepts, long quarantines, long rejects,
                          long accountingStored, long statusServer, long duplicatesResent, long auditWritten,
                          long auditDropped, long acceptsRecorded, long acceptsUnrecorded, long allowed,
                          long acceptWrites, long acceptsWritten, long acceptWriterPausedNanos) {
    public RadiusStats {
        drops = Map.copyOf(drops);
    }

    /** Drops for one reason. */
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Drops for all reasons. */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
