package io.nacgw.radius.radsec;

import java.util.Map;

/**
 * RadSec counters (the packets themselves are counted with the UDP server's, by outcome and drop reason).
 *
 * @param accepted         TCP connections accepted
 * @param open             connections open now
 * @param established      connections whose TLS handshake completed and whose NAS was found
 * @param refusals         connections refused before their first packet, by reason
 * @param closes           established connections closed by nacgw, by reason
 * @param truncated        connections that ended in the middle of a packet
 * @param packets          packets read from established connections
 * @param tlsFailures      failed TLS handshakes by {@link io.nacgw.certs.TlsFailures} reason (every name present)
 * @param inFlight         requests read and not yet answered, over all connections
 * @param readsPaused      times a connection's reading was paused: too many requests in flight on it or in total,
 *                         or its replies backing up ({@link RequestAdmission})
 */
public record RadSecStats(long accepted, long open, long established, Map<Refusal, Long> refusals,
                          Map<CloseReason, Long> closes, long truncated, long packets, Map<String, Long> tlsFailures,
                          long inFlight, long readsPaused) {
    public RadSecStats {
        refusals = Map.copyOf(refusals);
        closes = Map.copyOf(closes);
        tlsFailures = Map.copyOf(tlsFailures);
    }

    public long tlsFailures(String reason) {
        return tlsFailures.getOrDefault(reason, 0L);
    }

    public long refusals(Refusal r) {
        return refusals.getOrDefault(r, 0L);
    }

    public long closes(CloseReason r) {
        return closes.getOrDefault(r, 0L);
    }
}
