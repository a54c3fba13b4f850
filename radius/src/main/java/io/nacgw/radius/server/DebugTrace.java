package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code nacgw debug}: a live trace of the Access- and Accounting-Requests of one device (MAC) or one NAS, like
 * {@code radiusd -X} for one endpoint. Off by default; when off the request path pays one volatile read ({@link #session}). A session
 * is bounded in time and in events; events wait in a bounded queue the operations port drains; nothing on the
 * request path blocks (a full queue ends the session early, counted as dropped). Secrets, passwords, CHAP and
 * MS-CHAP values, Message-Authenticator, EAP payloads and MPPE keys are never shown, only their length.
 */
public final class DebugTrace {
    /** Longest session and most events one may ask for. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    public static final int MAX_EVENTS = 10_000;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(AttributeType.USER_NAME, "User-Name"), Map.entry(AttributeType.USER_PASSWORD, "User-Password"),
            Map.entry(AttributeType.CHAP_PASSWORD, "CHAP-Password"),
            Map.entry(AttributeType.NAS_IP_ADDRESS, "NAS-IP-Address"), Map.entry(AttributeType.NAS_PORT, "NAS-Port"),
            Map.entry(AttributeType.SERVICE_TYPE, "Service-Type"),
            Map.entry(AttributeType.FRAMED_IP_ADDRESS, "Framed-IP-Address"), Map.entry(AttributeType.FILTER_ID, "Filter-Id"),
            Map.entry(AttributeType.REPLY_MESSAGE, "Reply-Message"), Map.entry(AttributeType.STATE, "State"),
            Map.entry(AttributeType.CLASS, "Class"), Map.entry(AttributeType.SESSION_TIMEOUT, "Session-Timeout"),
            Map.entry(AttributeType.TERMINATION_ACTION, "Termination-Action"),
            Map.entry(AttributeType.CALLED_STATION_ID, "Called-Station-Id"),
            Map.entry(AttributeType.CALLING_STATION_ID, "Calling-Station-Id"),
            Map.entry(AttributeType.NAS_IDENTIFIER, "NAS-Identifier"), Map.entry(AttributeType.PROXY_STATE, "Proxy-State"),
            Map.entry(AttributeType.NAS_PORT_ID, "NAS-Port-Id"), Map.entry(AttributeType.CHAP_CHALLENGE, "CHAP-Challenge"),
            Map.entry(AttributeType.NAS_PORT_TYPE, "NAS-Port-Type"), Map.entry(AttributeType.TUNNEL_TYPE, "Tunnel-Type"),
            Map.entry(AttributeType.TUNNEL_MEDIUM_TYPE, "Tunnel-Medium-Type"),
            Map.entry(AttributeType.EAP_MESSAGE, "EAP-Message"),
            Map.entry(AttributeType.MESSAGE_AUTHENTICATOR, "Message-Authenticator"),
            Map.entry(AttributeType.TUNNEL_PRIVATE_GROUP_ID, "Tunnel-Private-Group-Id"),
            Map.entry(AttributeType.NAS_IPV6_ADDRESS, "NAS-IPv6-Address"),
            Map.entry(AttributeType.ACCT_STATUS_TYPE, "Acct-Status-Type"),
            Map.entry(AttributeType.ACCT_DELAY_TIME, "Acct-Delay-Time"), Map.entry(42, "Acct-Input-Octets"),
            Map.entry(43, "Acct-Output-Octets"), Map.entry(AttributeType.ACCT_SESSION_ID, "Acct-Session-Id"),
            Map.entry(45, "Acct-Authentic"), Map.entry(46, "Acct-Session-Time"), Map.entry(47, "Acct-Input-Packets"),
            Map.entry(48, "Acct-Output-Packets"), Map.entry(AttributeType.ACCT_TERMINATE_CAUSE, "Acct-Terminate-Cause"),
            Map.entry(50, "Acct-Multi-Session-Id"), Map.entry(55, "Event-Timestamp"));

    /** What a session traces and until when. */
    private record Session(long id, MacAddress mac, String nas, Instant until, int maxEvents,
                           ArrayBlockingQueue<String> events, AtomicInteger emitted, AtomicInteger dropped) {
    }

    private final Clock clock;
    private volatile Session session;
    private long nextId = 1;

    DebugTrace(Clock clock) {
        this.clock = clock;
    }

    /** What {@link #poll} returns: new event texts, and whether the session has ended (then nothing more comes). */
    public record Batch(List<String> events, boolean ended, int emitted, int dropped) {
        public Batch {
            events = List.copyOf(events);
        }
    }

    /**
     * Starts a session for requests from the device {@code mac} or the NAS {@code nas} (client name, source address,
     * NAS-IP-Address or NAS-Identifier); exactly one of them. Returns its id. Throws {@link IllegalStateException}
     * when another session runs, {@link IllegalArgumentException} for bad bounds.
     */
    public synchronized long start(MacAddress mac, String nas, Duration duration, int maxEvents) {
        if ((mac == null) == (nas == null || nas.isBlank())) {
            throw new IllegalArgumentException("give exactly one of mac or nas");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("seconds must be 1 to " + MAX_DURATION.toSeconds());
        }
        if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
            throw new IllegalArgumentException("events must be 1 to " + MAX_EVENTS);
        }
        Session s = session;
        if (s != null && !ended(s)) {
            throw new IllegalStateException("another debug session (" + describe(s) + ") runs until " + s.until()
                    + "; stop it first");
        }
        Session next = new Session(nextId++, mac, nas == null ? null : nas.strip(), clock.instant().plus(duration),
                maxEvents, new ArrayBlockingQueue<>(maxEvents), new AtomicInteger(), new AtomicInteger());
        session = next;
        return next.id();
    }

    /** Ends the session {@code id} (no-op when it is not the current one). */
    public synchronized void stop(long id) {
        Session s = session;
        if (s != null && s.id() == id) {
            session = null;
        }
    }

    /** Takes the events recorded since the last poll of session {@code id}; {@code ended} once it is over. */
    public Batch poll(long id) {
        Session s = session;
        if (s == null || s.id() != id) {
            return new Batch(List.of(), true, 0, 0);
        }
        List<String> out = new ArrayList<>();
        s.events().drainTo(out);
        boolean ended = ended(s) && s.events().isEmpty();
        if (ended) {
            stop(id);
        }
        return new Batch(out, ended, s.emitted().get(), s.dropped().get());
    }

    private boolean ended(Session s) {
        return !clock.instant().isBefore(s.until()) || s.emitted().get() >= s.maxEvents();
    }

    private static String describe(Session s) {
        return s.mac() != null ? "mac " + s.mac() : "nas " + s.nas();
    }

    /** True while a session runs. */
    public boolean active() {
        Session s = session;
        return s != null && !ended(s);
    }

    /** True when a session runs and {@code r} matches it: the request path's only cost when tracing is off. */
    boolean wants(RadiusRequest r) {
        Session s = session;
        if (s == null) {
            return false;
        }
        if (ended(s)) {
            return false;
        }
        if (s.mac() != null) {
            return s.mac().equals(MacAddress.tryParse(Objects.requireNonNullElse(r.text(AttributeType.CALLING_STATION_ID), "")))
                    || s.mac().equals(MacAddress.tryParse(Objects.requireNonNullElse(r.text(AttributeType.USER_NAME), "")));
        }
        String nas = s.nas();
        return nas.equals(r.client().name()) || nas.equals(r.sender().getAddress().getHostAddress())
                || nas.equals(r.text(AttributeType.NAS_IDENTIFIER)) || nas.equals(ipText(r));
    }

    private static String ipText(RadiusRequest r) {
        Attribute a = r.first(AttributeType.NAS_IP_ADDRESS);
        if (a == null || a.value().length != 4) {
            return null;
        }
        byte[] v = a.value();
        return (v[0] & 0xff) + "." + (v[1] & 0xff) + "." + (v[2] & 0xff) + "." + (v[3] & 0xff);
    }

    /**
     * Records one traced request (call only when {@link #wants} said so): the packet, the identity found, the rules
     * (the profile's explanation, null when no profile decided) and the answer.
     */
    void record(RadiusRequest r, int answerCode, List<Attribute> answer, String method, String identity,
                       String deviceId, String profile, String verdict, List<String> reasons, String rules) {
        Session s = session();
        if (s == null) {
            return;
        }
        StringBuilder sb = header(r);
        sb.append("  method:   ").append(method).append('\n');
        sb.append("  identity: ").append(identity == null ? "none found" : identity)
                .append(deviceId == null ? " (no device)" : " -> device " + deviceId).append('\n');
        sb.append("  profile:  ").append(profile == null ? "(none: refused before any profile)" : profile).append('\n');
        if (rules != null) {
            for (String line : rules.split("\n")) {
                sb.append("  | ").append(line).append('\n');
            }
        }
        sb.append("  answer:   ").append(RadiusCode.name(answerCode)).append(' ').append(verdict)
                .append(reasons.isEmpty() ? "" : " " + reasons).append('\n');
        attributes(sb, answer);
        emit(s, sb);
    }

    /**
     * Records one traced Accounting-Request (call only when {@link #wants} said so), from the thread that wrote it:
     * the packet, the session it found or created ({@code session}, e.g. "found s-12" or "none with this
     * Acct-Session-Id: created"), what was stored ({@code stored}), and the answer ({@code answer}: the response
     * code's name, or why there is none).
     */
    void recordAccounting(RadiusRequest r, String session, String stored, String answer) {
        Session s = session();
        if (s == null) {
            return;
        }
        StringBuilder sb = header(r);
        sb.append("  session:  ").append(session).append('\n');
        sb.append("  stored:   ").append(stored).append('\n');
        sb.append("  answer:   ").append(answer).append('\n');
        emit(s, sb);
    }

    private Session session() {
        Session s = session;
        return s == null || ended(s) ? null : s;
    }

    private StringBuilder header(RadiusRequest r) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append(clock.instant()).append(' ').append(RadiusCode.name(r.code())).append(" id ").append(r.identifier())
                .append(" from ").append(r.sender().getAddress().getHostAddress()).append(':')
                .append(r.sender().getPort()).append(" (client ").append(r.client().name()).append(")\n");
        attributes(sb, r.attributes());
        return sb;
    }

    private static void emit(Session s, StringBuilder sb) {
        if (s.emitted().incrementAndGet() > s.maxEvents() || !s.events().offer(sb.toString())) {
            s.dropped().incrementAndGet();
        }
    }

    private static void attributes(StringBuilder sb, List<Attribute> attrs) {
        for (Attribute a : attrs) {
            sb.append("    ").append(name(a)).append(" = ").append(value(a)).append('\n');
        }
    }

    private static String name(Attribute a) {
        if (a.isVendor()) {
            return "Vendor-" + a.vendorId() + "-Attr-" + a.type();
        }
        return NAMES.getOrDefault(a.type(), "Attr-" + a.type());
    }

    /** The value as text or hex; never a secret: passwords, MS-CHAP, keys, EAP and authenticators show a length. */
    static String value(Attribute a) {
        boolean secret = a.isVendor() ? a.vendorId() == AttributeType.VENDOR_MICROSOFT
                : a.type() == AttributeType.USER_PASSWORD || a.type() == AttributeType.CHAP_PASSWORD
                || a.type() == AttributeType.MESSAGE_AUTHENTICATOR || a.type() == AttributeType.EAP_MESSAGE;
        if (secret) {
            return "<masked, " + a.value().length + " bytes>";
        }
        if (a.isPrintable()) {
            return "\"" + a.asText() + "\"";
        }
        byte[] v = a.value();
        String hex = HexFormat.of().formatHex(v, 0, Math.min(v.length, 64));
        return "0x" + hex + (v.length > 64 ? "… (" + v.length + " bytes)" : "");
    }
}
