package io.nacgw.radius;

import io.nacgw.certs.RejectReason;
import io.nacgw.certs.TlsFailures;
import io.nacgw.core.log.PeerLogLimiter;
import io.nacgw.core.policy.ReasonCode;
import io.nacgw.core.policy.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Access decisions counted by NAS client, by profile and by reason code, the time of each client's last request,
 * EAP-TLS handshake failures by reason, and the latency of every answered Access-Request. Cardinality is bounded:
 * only configured clients and profiles get a tally (registered at start and on reload), reasons are a fixed set
 * ({@link #REASONS}, anything else counts as {@code other}). The request path only reads maps built beforehand and
 * bumps {@link LongAdder}s: no allocation, no lock.
 */
public final class DecisionStats {
    private static final Logger log = LoggerFactory.getLogger(DecisionStats.class);

    /** Every reason a decision can carry: the policy's reason codes, and the gateway's own refusals. */
    public static final List<String> REASONS;
    /** EAP-TLS failures counted as failed TLS handshakes (the EAP conversation's reject reasons of TLS). */
    public static final List<String> EAP_TLS_FAILURES;
    /** What an unlisted reason counts as. */
    public static final String OTHER = "other";

    static {
        List<String> r = new ArrayList<>();
        for (ReasonCode c : ReasonCode.values()) {
            r.add(c.wireName());
        }
        r.addAll(List.of("no_identifier", "mschap_not_supported", "user_password_not_supported",
                "mab_password_mismatch", "eap_disabled", "eap_malformed", "eap_method_not_supported",
                "eap_no_conversation", "eap_unexpected_type", "eap_unknown_state"));
        List<String> tls = new ArrayList<>();
        for (RejectReason c : RejectReason.values()) {
            tls.add(TlsFailures.certificateReason(c));
        }
        tls.addAll(List.of("tls_handshake_failed", "tls_alert_from_peer", "tls_incomplete_flight",
                "eap_tls_flight_too_long", "eap_tls_unexpected_ack", "eap_tls_data_after_handshake"));
        EAP_TLS_FAILURES = List.copyOf(tls);
        r.addAll(tls);
        r.add(OTHER);
        REASONS = List.copyOf(r);
    }

    /** Verdict counts and the last request time of one client or profile. */
    public static final class Tally {
        private final LongAdder allowed = new LongAdder();
        private final LongAdder quarantined = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private volatile long lastRequestMillis;

        void count(Verdict v) {
            (v == Verdict.ALLOW ? allowed : v == Verdict.QUARANTINE ? quarantined : rejected).increment();
        }

        /** Decisions with this verdict so far. */
        public long count(String verdict) {
            return switch (verdict) {
                case "allow" -> allowed.sum();
                case "quarantine" -> quarantined.sum();
                case "reject" -> rejected.sum();
                default -> throw new IllegalArgumentException("verdict must be allow, quarantine or reject: " + verdict);
            };
        }

        /** Unix milliseconds of the last request (any code) from this client; 0: none since start. */
        public long lastRequestMillis() {
            return lastRequestMillis;
        }
    }

    /** The verdict names {@link Tally#count(String)} takes, as the metrics label them. */
    public static final List<String> VERDICTS = List.of("allow", "quarantine", "reject");

    private final ConcurrentHashMap<String, Tally> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tally> profiles = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> reasons;
    private final Map<String, LongAdder> eapTls;
    private final PeerLogLimiter tlsLog;
    private volatile LongConsumer latency = n -> { };

    public DecisionStats() {
        this(PeerLogLimiter.perMinute());
    }

    /** With the limiter of EAP-TLS failure lines (tests drive its clock). */
    public DecisionStats(PeerLogLimiter tlsLog) {
        this.tlsLog = tlsLog;
        Map<String, LongAdder> r = new HashMap<>();
        REASONS.forEach(n -> r.put(n, new LongAdder()));
        this.reasons = Map.copyOf(r);
        Map<String, LongAdder> t = new HashMap<>();
        EAP_TLS_FAILURES.forEach(n -> t.put(n, new LongAdder()));
        this.eapTls = Map.copyOf(t);
    }

    /**
     * Gives the configured clients and profiles their tallies (idempotent; tallies of names no longer configured
     * stay, so counters never go back, but no new name appears except through configuration).
     */
    public void register(Collection<String> clientNames, Collection<String> profileNames) {
        clientNames.forEach(n -> clients.computeIfAbsent(n, k -> new Tally()));
        profileNames.forEach(n -> profiles.computeIfAbsent(n, k -> new Tally()));
    }

    /** Where answered Access-Requests' latencies go (nanoseconds); called on the event loop, must not block. */
    public void onLatency(LongConsumer sink) {
        this.latency = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** The client's tally, or null when no client of that name was ever configured. */
    public Tally client(String name) {
        return clients.get(name);
    }

    /** The profile's tally, or null. */
    public Tally profile(String name) {
        return profiles.get(name);
    }

    /** Names with a client tally (configured now or earlier), in no order. */
    public List<String> clientNames() {
        return List.copyOf(clients.keySet());
    }

    /** Names with a profile tally. */
    public List<String> profileNames() {
        return List.copyOf(profiles.keySet());
    }

    /** Decisions that carried {@code reason} (one of {@link #REASONS}). */
    public long reason(String reason) {
        LongAdder a = reasons.get(reason);
        if (a == null) {
            throw new IllegalArgumentException("not one of DecisionStats.REASONS: " + reason);
        }
        return a.sum();
    }

    /** EAP-TLS handshakes that failed for {@code reason} (one of {@link #EAP_TLS_FAILURES}). */
    public long eapTlsFailures(String reason) {
        LongAdder a = eapTls.get(reason);
        if (a == null) {
            throw new IllegalArgumentException("not one of DecisionStats.EAP_TLS_FAILURES: " + reason);
        }
        return a.sum();
    }

    /** Every client's last request time (Unix ms, 0: none), by name. */
    public Map<String, Long> lastRequests() {
        Map<String, Long> m = new LinkedHashMap<>();
        clients.forEach((k, v) -> m.put(k, v.lastRequestMillis));
        return m;
    }

    // ---- the request path (called by the server's handlers) ----

    /** A request arrived from this configured client. */
    public void seen(String client, long nowMillis) {
        Tally t = clients.get(client);
        if (t != null) {
            t.lastRequestMillis = nowMillis;
        }
    }

    /** An Access-Request was answered with {@code verdict}; {@code profile} null when refused before any profile. */
    public void decided(String client, String profile, Verdict verdict, List<String> why, long latencyNanos) {
        Tally c = clients.get(client);
        if (c != null) {
            c.count(verdict);
        }
        if (profile != null) {
            Tally p = profiles.get(profile);
            if (p != null) {
                p.count(verdict);
            }
        }
        for (int i = 0, n = why.size(); i < n; i++) {
            LongAdder a = reasons.get(why.get(i));
            (a != null ? a : reasons.get(OTHER)).increment();
        }
        latency.accept(latencyNanos);
    }

    /**
     * An EAP-TLS conversation ended with {@code reason}: counted when it is a TLS failure, and logged as one line
     * (no stack trace) at most once per peer per minute.
     */
    public void eapTlsFailed(String reason, String peer, String client, String detail) {
        LongAdder a = eapTls.get(reason);
        if (a == null) {
            return; // an EAP-layer refusal (malformed, unknown state), counted by the EAP server
        }
        a.increment();
        if (tlsLog.allow(peer)) {
            log.warn("EAP-TLS handshake failed for {} via NAS {}: {}{} ({} so far for this reason; next line for "
                    + "this peer in a minute at the earliest)", peer, client, reason,
                    detail == null ? "" : ": " + oneLine(detail), a.sum());
        }
    }

    private static String oneLine(String s) {
        String m = s.replaceAll("[\\r\\n\\t]+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
