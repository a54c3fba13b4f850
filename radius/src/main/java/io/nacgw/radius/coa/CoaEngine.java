package io.nacgw.radius.coa;

import io.nacgw.radius.CoaAction;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.server.Counters;
import io.nacgw.radius.codec.StructureValidator;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The CoA client's state machine, confined to one thread (the sender's event loop) and free of sockets and timers:
 * the driver hands it requests ({@link #enqueue}), replies ({@link #onReply}) and the time ({@link #tick}), and
 * it hands datagrams to a {@link Transport}. Tests drive it with a hand-moved clock, so retransmission timing is
 * tested without sleeping.
 *
 * <p>Per NAS CoA address: a FIFO of waiting requests, a token bucket ({@code ratePerNas}), at most
 * {@code maxOutstandingPerNas} requests awaiting an answer, each under its own identifier (RFC 5080 §2.2.2: an
 * identifier is not reused until its request is answered or given up). A retransmission is the same datagram; a
 * NAK 506 (Resources Unavailable) is sent again later as a new request.
 */
final class CoaEngine {
    private static final Logger log = LoggerFactory.getLogger(CoaEngine.class);

    /** Where datagrams go. */
    @FunctionalInterface
    interface Transport {
        void send(InetSocketAddress to, byte[] packet);
    }

    /** A request from queueing to its result. */
    static final class Pending {
        final CoaRequest request;
        final CompletableFuture<CoaResult> future;
        final long queuedAt;
        NasClient client;
        Secret secret;
        CoaAction action;
        InetAddress nasIp;
        InetSocketAddress to;
        /** The NAS's RadSec connection the request goes over, or null for UDP. */
        NasLinks.Link link;
        int code;
        int attempts;
        int id = -1;
        byte[] packet;
        byte[] authenticator;
        long deadline;
        long notBefore;

        Pending(CoaRequest request, CompletableFuture<CoaResult> future, long queuedAt) {
            this.request = request;
            this.future = future;
            this.queuedAt = queuedAt;
        }
    }

    /** One NAS CoA address (IP and port). */
    private static final class Destination {
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        final List<Pending> retries = new ArrayList<>();
        final Pending[] inFlight = new Pending[256];
        int outstanding;
        int nextId;
        double tokens;
        long refilledAt;
        /** A RadSec connection (one per connection, so it goes once idle) rather than a NAS's UDP CoA port. */
        final boolean link;

        Destination(double tokens, long now, boolean link) {
            this.tokens = tokens;
            this.refilledAt = now;
            this.link = link;
        }

        boolean idle() {
            return outstanding == 0 && waiting.isEmpty() && retries.isEmpty();
        }
    }

    private final CoaSettings settings;
    private final Function<String, NasClient> clients;
    private final Transport transport;
    private final LongSupplier nanos;
    private final Clock clock;
    private final Consumer<CoaResult> finished;
    private final Counters drops;
    private final Map<InetSocketAddress, Destination> destinations = new HashMap<>();
    /** Waiting requests, shared with the submitting threads (which count up); the engine counts down. */
    final AtomicLong queued = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final Map<Integer, LongAdder> nakked = new ConcurrentHashMap<>();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder noClient = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder noConnection = new LongAdder();
    private final NasLinks links;

    /**
     * @param clients   NAS clients by name, as configured now (a reload changes what later requests see)
     * @param finished  told of every result on the engine thread (audit, metrics); must not block
     * @param drops     counts and rate-limits the log of dropped replies and refused requests
     * @param links     the NASes' RadSec connections (for sessions that came over RadSec), or null when none
     */
    CoaEngine(CoaSettings settings, Function<String, NasClient> clients, Transport transport, LongSupplier nanos,
              Clock clock, Consumer<CoaResult> finished, Counters drops, NasLinks links) {
        this.links = links;
        this.settings = settings;
        this.clients = clients;
        this.transport = transport;
        this.nanos = nanos;
        this.clock = clock;
        this.finished = finished;
        this.drops = drops;
    }

    /**
     * Counts a request in, from any thread; false (counted, logged, the future completed with
     * {@link CoaResult.Answer#QUEUE_FULL}) when {@code queueSize} requests are already waiting.
     */
    boolean admit(Pending p) {
        if (queued.incrementAndGet() > settings.queueSize()) {
            queued.decrementAndGet();
            queueFull.increment();
            InetAddress nas = NetUtil.createInetAddressFromIpAddressString(p.request.nasAddress());
            drops.drop(DropReason.COA_QUEUE_FULL, nas == null ? null : new InetSocketAddress(nas, 0), "CoA queue of " + settings.queueSize() + " full; not sent to "
                    + p.request.nas() + " for session " + p.request.sessionLabel());
            complete(p, CoaResult.Answer.QUEUE_FULL, null, nanos.getAsLong());
            return false;
        }
        return true;
    }

    /** Places an admitted request in its NAS's queue and sends what the limits allow. */
    void enqueue(Pending p) {
        long now = nanos.getAsLong();
        CoaRequest r = p.request;
        NasClient c = clients.apply(r.nas());
        InetAddress nasIp = NetUtil.createInetAddressFromIpAddressString(r.nasAddress());
        if (c == null || nasIp == null) {
            queued.decrementAndGet();
            noClient.increment();
            drops.drop(DropReason.COA_NO_CLIENT, null, "CoA for session " + r.sessionLabel() + " not sent: " + (c == null
                    ? "NAS client '" + r.nas() + "' is not configured" : "NAS address '" + r.nasAddress() + "' is not an IP address"));
            complete(p, CoaResult.Answer.NO_CLIENT, null, now);
            return;
        }
        p.client = c;
        if (r.radsecPeer() != null) {
            p.link = links == null ? null : links.find(r.nas(), r.radsecPeer());
            if (p.link == null) {
                queued.decrementAndGet();
                noConnection.increment();
                drops.drop(DropReason.COA_NO_CONNECTION, null, "CoA for session " + r.sessionLabel() + " not sent: "
                        + "NAS client '" + r.nas() + "' has no RadSec connection open from " + r.radsecPeer());
                complete(p, CoaResult.Answer.NO_CONNECTION, null, now);
                return;
            }
        }
        p.secret = p.link != null ? p.link.secret() : c.effectiveCoaSecret();
        p.action = r.action() != null && r.action().supportedBy(c.vendor()) ? r.action()
                : r.action() != null ? CoaAction.DISCONNECT : c.coaAction();
        p.code = CoaPackets.code(p.action);
        p.nasIp = nasIp;
        p.to = p.link != null ? p.link.remote()
                : new InetSocketAddress(c.coaAddress() != null ? c.coaAddress() : nasIp, c.coaPort());
        Destination d = destinations.computeIfAbsent(p.to, k -> new Destination(settings.burst(), now, p.link != null));
        d.waiting.add(p);
        dispatch(d, now);
    }

    /** Retransmits what timed out, gives up what used every attempt, sends what the limits now allow. */
    void tick() {
        long now = nanos.getAsLong();
        destinations.values().removeIf(d -> d.link && d.idle());
        for (Destination d : destinations.values()) {
            if (d.outstanding > 0) {
                for (Pending p : d.inFlight) {
                    if (p != null && p.deadline - now <= 0) {
                        timeout(d, p, now);
                    }
                }
            }
            dispatch(d, now);
        }
    }

    private void timeout(Destination d, Pending p, long now) {
        if (p.attempts < settings.maxAttempts() && p.link == null) { // TCP: never retransmit (RFC 6613 §2.6.1)
            p.attempts++;
            p.deadline = now + settings.timeoutNanos(p.attempts);
            retransmitted.increment();
            log.debug("CoA {} id {} to {}: no answer, retransmission {}", p.request.sessionLabel(), p.id, p.to, p.attempts);
            send(p);
            return;
        }
        release(d, p);
        drops.drop(DropReason.COA_TIMEOUT, p.to, "CoA for session " + p.request.sessionLabel() + " (client '"
                + p.request.nas() + "') given up: no valid answer to " + p.attempts + " attempt(s)");
        complete(p, CoaResult.Answer.TIMEOUT, null, now);
    }

    private void dispatch(Destination d, long now) {
        double elapsed = (now - d.refilledAt) / 1e9;
        d.tokens = Math.min(settings.burst(), d.tokens + elapsed * settings.ratePerNas());
        d.refilledAt = now;
        while (d.outstanding < settings.maxOutstandingPerNas()) {
            Pending p = dueRetry(d, now);
            if (p == null) {
                if (d.waiting.isEmpty() || d.tokens < 1) {
                    return;
                }
                p = d.waiting.poll();
                d.tokens -= 1;
                queued.decrementAndGet();
            }
            transmit(d, p, now);
        }
    }

    private static Pending dueRetry(Destination d, long now) {
        for (Iterator<Pending> it = d.retries.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.notBefore - now <= 0) {
                it.remove();
                return p;
            }
        }
        return null;
    }

    /** A new transmission under a fresh identifier (first send, or again after a NAK 506). */
    private void transmit(Destination d, Pending p, long now) {
        int id = d.nextId;
        while (d.inFlight[id] != null) {
            id = (id + 1) & 0xFF;
        }
        d.nextId = (id + 1) & 0xFF;
        List<Attribute> attributes = CoaPackets.attributes(p.request, p.action, p.client.vendor(), p.nasIp,
                clock.instant().getEpochSecond());
        p.packet = RadiusCodec.encodeRequest(p.code, id, attributes, p.secret);
        p.authenticator = Arrays.copyOfRange(p.packet, RadiusCrypto.AUTH_OFFSET,
                RadiusCrypto.AUTH_OFFSET + RadiusCrypto.AUTH_LENGTH);
        p.id = id;
        p.attempts++;
        p.deadline = now + (p.link == null ? settings.timeoutNanos(p.attempts) : wholeTimeout());
        d.inFlight[id] = p;
        d.outstanding++;
        outstanding.incrementAndGet();
        sent.increment();
        log.debug("{} id {} to {} for session {}", CoaPackets.describe(p.action), id, p.to, p.request.sessionLabel());
        send(p);
    }

    private void send(Pending p) {
        if (p.link != null) {
            p.link.send(p.packet);
        } else {
            transport.send(p.to, p.packet);
        }
    }

    /**
     * Over a RadSec connection a request is sent once (TCP delivers it or the connection fails) and waits as long
     * as every UDP attempt together would.
     */
    private long wholeTimeout() {
        long total = 0;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            total += settings.timeoutNanos(attempt);
        }
        return total;
    }

    private void release(Destination d, Pending p) {
        d.inFlight[p.id] = null;
        d.outstanding--;
        outstanding.decrementAndGet();
    }

    /** A datagram at the CoA socket: the answer to an outstanding request, or dropped and counted. */
    void onReply(InetSocketAddress from, byte[] data) {
        long now = nanos.getAsLong();
        Destination d = destinations.get(from);
        if (d == null) {
            drops.drop(DropReason.COA_REPLY_UNEXPECTED, from, "no CoA was sent to this address and port");
            return;
        }
        String problem = StructureValidator.checkReply(data, CoaEngine::isReplyCode);
        if (problem != null) {
            drops.drop(DropReason.COA_REPLY_UNEXPECTED, from, problem);
            return;
        }
        byte[] reply = data.length == RadiusCrypto.lengthField(data) ? data : Arrays.copyOf(data, RadiusCrypto.lengthField(data));
        int code = reply[0] & 0xFF;
        Pending p = d.inFlight[reply[1] & 0xFF];
        if (p == null || code < p.code + 1 || code > p.code + 2) {
            drops.drop(DropReason.COA_REPLY_UNEXPECTED, from, RadiusCode.name(code) + " id " + (reply[1] & 0xFF)
                    + " answers nothing outstanding (late or duplicate answer)");
            return;
        }
        if (!RadiusCrypto.verifyResponse(p.secret, reply, p.authenticator)) {
            drops.drop(DropReason.COA_REPLY_BAD_AUTHENTICATOR, from, RadiusCode.name(code)
                    + " with a wrong Response Authenticator (is coaSecret of client '" + p.request.nas() + "' right?)");
            return;
        }
        int ma = RadiusCrypto.find(reply, AttributeType.MESSAGE_AUTHENTICATOR);
        if (ma >= 0 && !RadiusCrypto.verifyReplyMessageAuthenticator(p.secret, reply, ma, p.authenticator)) {
            drops.drop(DropReason.COA_REPLY_BAD_AUTHENTICATOR, from, RadiusCode.name(code) + " with a wrong Message-Authenticator");
            return;
        }
        Integer cause = null;
        if (code == p.code + 2) {
            try {
                cause = errorCause(RadiusCodec.attributes(reply));
            } catch (Throwable t) { // tinyradius throws unchecked exceptions on input it dislikes
                if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                    throw (VirtualMachineError) t;
                }
                drops.drop(DropReason.COA_REPLY_UNEXPECTED, from, "undecodable " + RadiusCode.name(code) + ": " + t);
                return;
            }
        }
        release(d, p);
        if (code == p.code + 1) {
            acked.increment();
            complete(p, CoaResult.Answer.ACK, null, now);
        } else {
            nakked.computeIfAbsent(Objects.requireNonNullElse(cause, 0), k -> new LongAdder()).increment();
            if (cause != null && cause == CoaResult.RESOURCES_UNAVAILABLE && p.attempts < settings.maxAttempts()) {
                p.notBefore = now + settings.timeoutNanos(p.attempts);
                d.retries.add(p);
                log.debug("CoA {} to {}: NAK 506 (resources unavailable), sending again later", p.request.sessionLabel(), p.to);
            } else {
                complete(p, CoaResult.Answer.NAK, cause, now);
            }
        }
        dispatch(d, now);
    }

    private static boolean isReplyCode(int code) {
        return code == RadiusCode.COA_ACK || code == RadiusCode.COA_NAK || code == RadiusCode.DISCONNECT_ACK
                || code == RadiusCode.DISCONNECT_NAK;
    }

    private static Integer errorCause(List<Attribute> attributes) {
        for (Attribute a : attributes) {
            if (!a.isVendor() && a.type() == AttributeType.ERROR_CAUSE && a.asInt() >= 0) {
                return (int) a.asInt();
            }
        }
        return null;
    }

    /** Ends every request still waiting or outstanding with {@link CoaResult.Answer#CLOSED}. */
    void closeAll() {
        long now = nanos.getAsLong();
        for (Destination d : destinations.values()) {
            for (Pending p : d.inFlight) {
                if (p != null) {
                    release(d, p);
                    complete(p, CoaResult.Answer.CLOSED, null, now);
                }
            }
            for (Pending p : d.retries) {
                complete(p, CoaResult.Answer.CLOSED, null, now);
            }
            d.retries.clear();
            for (Pending p; (p = d.waiting.poll()) != null; ) {
                queued.decrementAndGet();
                complete(p, CoaResult.Answer.CLOSED, null, now);
            }
        }
    }

    private void complete(Pending p, CoaResult.Answer answer, Integer cause, long now) {
        if (answer == CoaResult.Answer.TIMEOUT) {
            timedOut.increment();
        }
        CoaResult r = new CoaResult(p.request, answer, cause, p.attempts, Math.max(0, now - p.queuedAt),
                p.action == null ? null : CoaPackets.describe(p.action),
                p.to == null ? null : p.to.getAddress().getHostAddress() + ":" + p.to.getPort());
        try {
            finished.accept(r);
        } catch (RuntimeException e) {
            log.error("recording the CoA result for session {} failed", p.request.sessionLabel(), e);
        }
        p.future.complete(r);
    }

    /** The counters now; safe from any thread. */
    CoaStats stats() {
        Map<Integer, Long> naks = new HashMap<>();
        nakked.forEach((k, v) -> naks.put(k, v.sum()));
        return new CoaStats(queued.get(), outstanding.get(), sent.sum(), retransmitted.sum(), acked.sum(), naks,
                timedOut.sum(), queueFull.sum(), noClient.sum(),
                drops.drops(DropReason.COA_REPLY_UNEXPECTED) + drops.drops(DropReason.COA_REPLY_BAD_AUTHENTICATOR),
                noConnection.sum());
    }
}
