package io.nacgw.nacapi;

import io.nacgw.certs.TlsFailures;
import io.nacgw.core.log.PeerLogLimiter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http2.Http2Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The error policy for what a peer can trigger (a failed TLS handshake, an HTTP/2 protocol violation, a reset):
 * counted per reason, logged as one WARN line without a stack trace, at most once per reason and source address
 * every {@link #INTERVAL_NANOS} (a minute) and at most {@link #LINES_PER_INTERVAL} lines per reason in that time
 * whatever the number of addresses. Failed TLS handshakes are also counted by why they failed ({@link TlsFailures}). Stack traces are kept for our own bugs (see {@link ErrorMapper}).
 */
public final class PeerErrors {
    private static final Logger log = LoggerFactory.getLogger(PeerErrors.class);
    static final long INTERVAL_NANOS = PeerLogLimiter.MINUTE_NANOS;
    static final int LINES_PER_INTERVAL = 10;
    /** More remembered sources than this and the memory is cleared (a flood from rotating addresses). */
    private static final int MAX_SOURCES = 10_000;
    private static final int MAX_DETAIL = 200;

    /** Why a peer's connection or stream failed. */
    enum Reason {
        /** TLS handshake refused: an untrusted, self-signed, expired or revoked client certificate, no shared cipher. */
        TLS_HANDSHAKE,
        /** A TLS record or alert error after the handshake, including a refused renegotiation. */
        TLS,
        /** An HTTP/2 protocol violation (content-length mismatch, bad frame, flow-control error). */
        HTTP2_PROTOCOL,
        /** Unparsable HTTP/1.1 framing. */
        HTTP_DECODE,
        /** The peer reset or broke the connection (counted, never logged above DEBUG). */
        CONNECTION_RESET;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final Map<Reason, long[]> windows = new EnumMap<>(Reason.class);
    private final Map<String, LongAdder> tlsReasons = new java.util.LinkedHashMap<>();
    private final PeerLogLimiter lastLogged;
    private final Ticker ticker;

    /** Nanosecond time source (tests drive it by hand). */
    @FunctionalInterface
    interface Ticker {
        long nanos();
    }

    PeerErrors() {
        this(System::nanoTime);
    }

    PeerErrors(Ticker ticker) {
        this.ticker = ticker;
        this.lastLogged = new PeerLogLimiter(INTERVAL_NANOS, MAX_SOURCES, ticker::nanos);
        for (String r : TlsFailures.REASONS) {
            tlsReasons.put(r, new LongAdder());
        }
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
            windows.put(r, new long[] {Long.MIN_VALUE, 0});
        }
    }

    /** The reason when {@code t} is something a peer caused; null for anything else (a bug of ours). */
    static Reason classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLHandshakeException) {
                return Reason.TLS_HANDSHAKE;
            }
            if (c instanceof SSLException) {
                return Reason.TLS;
            }
            if (c instanceof Http2Exception) {
                return Reason.HTTP2_PROTOCOL;
            }
            if (c instanceof TooLongFrameException) {
                return Reason.HTTP_DECODE;
            }
            if (c instanceof IOException) {
                return Reason.CONNECTION_RESET;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /**
     * Counts and (rate-limited) logs {@code cause} from {@code peer}; returns false, doing nothing, when it is not a
     * peer error.
     */
    public boolean report(SocketAddress peer, Throwable cause) {
        Reason reason = classify(cause);
        if (reason == null) {
            return false;
        }
        String detail = detail(cause);
        if (reason == Reason.TLS_HANDSHAKE) {
            String why = TlsFailures.reason(cause);
            tlsReasons.get(why).increment();
            detail = why + ": " + detail;
        }
        report(reason, peer, detail);
        return true;
    }

    public void report(Reason reason, SocketAddress peer, String detail) {
        counts.get(reason).increment();
        if (reason == Reason.CONNECTION_RESET) {
            log.debug("{} from {}: {}", reason.wireName(), peer, detail);
            return;
        }
        if (!lastLogged.allow(reason.ordinal() + "/" + host(peer)) || !perReasonBudget(reason, ticker.nanos())) {
            return;
        }
        log.warn("peer error {} from {}: {} ({} so far)", reason.wireName(), peer, detail, counts.get(reason).sum());
    }

    private boolean perReasonBudget(Reason reason, long now) {
        long[] w = windows.get(reason);
        synchronized (w) {
            if (w[0] == Long.MIN_VALUE || now - w[0] >= INTERVAL_NANOS) {
                w[0] = now;
                w[1] = 0;
            }
            return ++w[1] <= LINES_PER_INTERVAL;
        }
    }

    private static String host(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetAddress ip = ((InetSocketAddress) a).getAddress();
            return ip == null ? a.toString() : ip.getHostAddress();
        }
        return String.valueOf(a);
    }

    /** The innermost message, one line, bounded: never a stack trace, never the peer's bytes at length. */
    static String detail(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getClass().getSimpleName() + ": " + c.getMessage();
        m = m.replaceAll("[\\r\\n\\t]+", " ");
        return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
    }

    /** Errors counted for {@code reason} so far. */
    long count(Reason reason) {
        return counts.get(reason).sum();
    }

    /** Failed TLS handshakes by {@link TlsFailures} reason (every name present, zero included), for metrics. */
    public Map<String, Long> tlsHandshakeFailures() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        tlsReasons.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Every reason's count, for metrics. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (Reason r : Reason.values()) {
            m.put(r.wireName(), counts.get(r).sum());
        }
        return m;
    }
}
