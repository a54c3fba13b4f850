package io.nacgw.radius.proxy;

/**
 * One upstream's counters, for metrics.
 *
 * @param pool             the pool
 * @param upstream         the upstream's name
 * @param state            its health now
 * @param requests         Access-Requests sent (first transmissions)
 * @param retransmissions  retransmissions of those on nacgw's own timer
 * @param timeouts         requests this upstream never answered (then nacgw failed over, or gave up)
 * @param accepts          Access-Accepts received
 * @param rejects          Access-Rejects received
 * @param challenges       Access-Challenges received
 * @param badReplies       datagrams from it dropped: malformed, unexpected, or failing authentication
 * @param probes           Status-Server probes sent
 * @param probesAnswered   probes answered
 * @param accountingCopied Accounting-Requests copied and acknowledged
 * @param accountingLost   Accounting-Requests copied and never acknowledged
 */
public record UpstreamStats(String pool, String upstream, UpstreamState state, long requests, long retransmissions,
                            long timeouts, long accepts, long rejects, long challenges, long badReplies, long probes,
                            long probesAnswered, long accountingCopied, long accountingLost) {
}
