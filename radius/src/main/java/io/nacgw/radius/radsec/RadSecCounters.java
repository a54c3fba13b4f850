package io.nacgw.radius.radsec;

import io.nacgw.core.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * RadSec connection counters and their log policy: DEBUG per event, WARN at most once per reason per 10 s with the
 * number since the last warning (a flood of bad connections must not flood the log).
 */
final class RadSecCounters {
    private static final Logger log = LoggerFactory.getLogger(RadSecServer.class);
    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    final LongAdder accepted = new LongAdder();
    final LongAdder open = new LongAdder();
    final LongAdder established = new LongAdder();
    final LongAdder truncated = new LongAdder();
    final LongAdder packets = new LongAdder();
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final Map<CloseReason, LongAdder> closes = new EnumMap<>(CloseReason.class);
    /** Failed TLS handshakes by {@link io.nacgw.certs.TlsFailures} reason (as EAP-TLS and HTTPS report theirs). */
    private final Map<String, LongAdder> tlsFailures = new java.util.HashMap<>();
    private final Map<Enum<?>, LogThrottle> warn = new java.util.HashMap<>();
    /** Requests in flight over all connections and the pauses of reading they caused. */
    final RequestAdmission.Limits admission;

    RadSecCounters(RequestAdmission.Limits admission) {
        this.admission = admission;
        for (String r : io.nacgw.certs.TlsFailures.REASONS) {
            tlsFailures.put(r, new LongAdder());
        }
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
            warn.put(r, LogThrottle.every(WARN_INTERVAL));
        }
        for (CloseReason c : CloseReason.values()) {
            closes.put(c, new LongAdder());
            warn.put(c, LogThrottle.every(WARN_INTERVAL));
        }
    }

    void refused(Refusal r, SocketAddress peer, String detail) {
        refusals.get(r).increment();
        note(r, "refused", peer, detail);
    }

    /** A failed TLS handshake (besides its refusal reason), classified by {@link io.nacgw.certs.TlsFailures}. */
    void tlsFailure(Throwable cause) {
        LongAdder a = tlsFailures.get(io.nacgw.certs.TlsFailures.reason(cause));
        (a != null ? a : tlsFailures.get("other")).increment();
    }

    void closed(CloseReason c, SocketAddress peer, String detail) {
        closes.get(c).increment();
        note(c, "closed", peer, detail);
    }

    private void note(Enum<?> reason, String what, SocketAddress peer, String detail) {
        String name = reason.name().toLowerCase(java.util.Locale.ROOT);
        if (log.isDebugEnabled()) {
            log.debug("RadSec connection from {} {} ({}): {}", peer, what, name, detail);
        }
        long suppressed = warn.get(reason).admit();
        if (suppressed >= 0) {
            log.warn("RadSec: {} {} connection(s) for {} since the last warning; latest from {}: {}", what,
                    suppressed + 1, name, peer, detail);
        }
    }

    RadSecStats snapshot() {
        Map<Refusal, Long> r = new EnumMap<>(Refusal.class);
        refusals.forEach((k, v) -> r.put(k, v.sum()));
        Map<CloseReason, Long> c = new EnumMap<>(CloseReason.class);
        closes.forEach((k, v) -> c.put(k, v.sum()));
        Map<String, Long> t = new java.util.TreeMap<>();
        tlsFailures.forEach((k, v) -> t.put(k, v.sum()));
        return new RadSecStats(accepted.sum(), open.sum(), established.sum(), r, c, truncated.sum(), packets.sum(), t,
                admission.inFlight(), admission.paused.sum());
    }
}
