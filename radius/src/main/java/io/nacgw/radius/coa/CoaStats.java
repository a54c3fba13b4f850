package io.nacgw.radius.coa;

import java.util.Map;

/**
 * A snapshot of the CoA sender's counters, for metrics. Counters only grow; {@code queued} and
 * {@code outstanding} are gauges.
 *
 * @param queued         requests waiting to be sent
 * @param outstanding    requests sent and awaiting an answer
 * @param sent           requests sent (first transmissions, and re-sends after NAK 506)
 * @param retransmitted  retransmissions after a timeout
 * @param acked          ACKs
 * @param nakked         NAKs by Error-Cause (0: the NAK carried none)
 * @param timedOut       requests given up after every attempt
 * @param queueFull      requests refused because the queue was full
 * @param noClient       requests for a NAS client that is not configured (or has no usable address)
 * @param badReplies     datagrams dropped: malformed, unexpected, or failing the authenticator checks
 * @param noConnection   requests for a RadSec session whose NAS had no TLS connection open (not sent)
 */
public record CoaStats(long queued, long outstanding, long sent, long retransmitted, long acked,
                       Map<Integer, Long> nakked, long timedOut, long queueFull, long noClient, long badReplies,
                       long noConnection) {
    public CoaStats {
        nakked = Map.copyOf(nakked);
    }

    /** NAKs of every Error-Cause. */
    public long totalNakked() {
        return nakked.values().stream().mapToLong(Long::longValue).sum();
    }
}
