package io.nacgw.radius.eap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.nacgw.certs.CertificateDeviceIds;
import io.nacgw.certs.DeviceIds;
import io.nacgw.core.concurrent.DaemonThreads;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * EAP over RADIUS for the Access-Request path: one call per Access-Request carrying EAP-Message. Starts a
 * conversation on EAP-Response/Identity (EAP-MD5 when the identity is a MAC, else EAP-TLS), answers each round with
 * an Access-Challenge carrying State, and ends with {@link EapResult.Kind#AUTHENTICATED} (the caller decides with
 * the profile) or a rejection with EAP-Failure. Conversations live in a table bounded in size and idle time.
 * EAP-MD5 and framing run inline (cheap); every EAP-TLS step runs on the bounded TLS pool, and a full pool drops
 * the request (counted; the NAS retransmits). Thread-safe; never blocks the calling event loop.
 */
public final class EapServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EapServer.class);
    static final int FRAMED_MTU = 12;
    /** EAP header (5), EAP-TLS flags (1) and length (4), rounded up: what Framed-MTU must leave room for. */
    static final int EAP_TLS_OVERHEAD = 14;
    static final String DISABLED_MESSAGE = "nacgw does not perform EAP authentication on this server (radius.eap.enabled is off)";

    private final EapSettings settings;
    private final TlsMaterial tls;
    private final Executor tlsPool;
    private final Function<MacAddress, List<String>> macSpellings;
    private final Cache<ByteBuffer, Conversation> conversations;
    private final SecureRandom random = new SecureRandom();
    private final CrlFetcher crlFetcher;
    private final OcspChecker ocsp;
    private final LongAdder started = new LongAdder();
    private final LongAdder challenges = new LongAdder();
    private final LongAdder authenticated = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder unknownState = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder tlsFull = new LongAdder();
    private final LongAdder tlsResumed = new LongAdder();
    private final LongAdder tlsResumedByTicket = new LongAdder();
    /** The start-up warm-up's outcome; done at once (no handshakes) when there is none. */
    private final CompletableFuture<TlsWarmUp.Result> warmUp = new CompletableFuture<>();
    private volatile boolean closed;

    private EapServer(EapSettings settings, TlsMaterial tls, Executor tlsPool, Clock clock,
                      Function<MacAddress, List<String>> macSpellings) {
        this.settings = settings;
        this.tls = tls;
        this.tlsPool = tlsPool;
        this.macSpellings = macSpellings;
        this.conversations = Caffeine.newBuilder()
                .maximumSize(settings.maxConversations())
                .expireAfterAccess(settings.conversationTimeout())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .<ByteBuffer, Conversation>removalListener((k, c, cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evicted.increment();
                    } else if (cause == RemovalCause.EXPIRED) {
                        expired.increment();
                    }
                    if (c != null && cause != RemovalCause.EXPLICIT && c.busy.compareAndSet(false, true)) {
                        c.close(); // a busy one is closed by the step that holds it
                    }
                })
                .build();
        this.crlFetcher = tls != null && !settings.crlUrls().isEmpty() ? CrlFetcher.start(settings, tls) : null;
        this.ocsp = tls != null && settings.ocsp().enabled()
                ? new OcspChecker(settings.ocsp(), clock, () -> tls.verifier().trustedCas()) : null;
        if (tls != null && !settings.tlsWarmup().isZero()) {
            DaemonThreads.thread(() -> warmUp(clock), "nacgw-eap-tls-warmup").start();
        } else {
            warmUp.complete(new TlsWarmUp.Result(0, Duration.ZERO, null, false));
        }
    }

    /** Runs the start-up warm-up on its own daemon thread (never an event loop, never the TLS pool). */
    private void warmUp(Clock clock) {
        try {
            TlsWarmUp.Result r = new TlsWarmUp(tls, clock).run(settings.tlsWarmup(), System::nanoTime, () -> closed);
            log.info("EAP-TLS warm-up: {} in-memory handshakes in {} ms (radius.eap.tls.warmup {}){}", r.handshakes(),
                    r.elapsed().toMillis(), settings.tlsWarmup(), r.stopped() ? ", cut short: the server closed" : "");
            warmUp.complete(r);
        } catch (RuntimeException e) {
            log.warn("EAP-TLS warm-up skipped: {}", e.getMessage());
            warmUp.complete(new TlsWarmUp.Result(0, Duration.ZERO, String.valueOf(e.getMessage()), false));
        }
    }

    /** The start-up warm-up's outcome, once it has ended (tests). */
    CompletableFuture<TlsWarmUp.Result> warmUp() {
        return warmUp;
    }

    /**
     * An EAP server for {@code settings}; {@code tlsPool} runs EAP-TLS steps and rejects work when full;
     * {@code macSpellings} gives every spelling of a MAC a NAS may use as the EAP-MD5 password. Throws
     * {@link IllegalArgumentException} naming the key when the TLS files cannot be used.
     */
    public static EapServer create(EapSettings settings, Clock clock, Executor tlsPool,
                                   Function<MacAddress, List<String>> macSpellings) {
        TlsMaterial tls = settings.tlsEnabled() ? TlsMaterial.load(settings, clock) : null;
        if (settings.enabled()) {
            log.info("EAP on: {}EAP-MD5 MAB; up to {} conversations, {} idle timeout", tls != null ? "EAP-TLS (TLS "
                    + settings.minVersion() + "+, " + resumption(tls) + "), " : "", settings.maxConversations(),
                    settings.conversationTimeout());
        }
        return new EapServer(settings, tls, tlsPool, clock, macSpellings);
    }

    /** How TLS 1.2 sessions resume, for the start-up line (names the ticket keys' origin, never a key). */
    static String resumption(TlsMaterial tls) {
        if (!tls.resumption()) {
            return "no resumption";
        }
        SessionTickets t = tls.tickets();
        return t == null ? "resumption by session id"
                : "resumption by session id and by ticket, ticket keys from " + t.keys().origin()
                + (t.keys().origin().equals("random") ? " (this process only)" : "");
    }

    /**
     * Handles an Access-Request with EAP-Message. The future fails with {@link EapDropException} for a request
     * that gets no answer (malformed EAP, a stale identifier, a busy conversation, a full TLS pool).
     */
    public CompletableFuture<EapResult> handle(RadiusRequest r) {
        EapPacket p;
        try {
            p = EapPacket.of(r);
        } catch (MalformedEapException e) {
            throw new EapDropException(DropReason.EAP_MALFORMED, e.getMessage());
        }
        if (p.code() != EapPacket.RESPONSE) {
            throw new EapDropException(DropReason.EAP_MALFORMED, "EAP code " + p.code() + " from a peer");
        }
        if (!settings.enabled()) {
            return done(reject("eap", p.identifier(), Map.of(), "eap_disabled", DISABLED_MESSAGE));
        }
        Attribute state = r.first(AttributeType.STATE);
        if (state == null) {
            if (p.type() != EapPacket.IDENTITY) {
                return done(reject("eap", p.identifier(), Map.of(), "eap_no_conversation",
                        "EAP " + EapPacket.typeName(p.type()) + " response without a conversation (no State)"));
            }
            return done(start(r, p));
        }
        Conversation c = conversations.getIfPresent(ByteBuffer.wrap(state.value()));
        if (c == null || !c.belongsTo(r)) {
            unknownState.increment();
            return done(reject("eap", p.identifier(), Map.of(), "eap_unknown_state", c == null
                    ? "EAP conversation unknown or expired; start again"
                    : "EAP State belongs to another NAS"));
        }
        if (p.identifier() != c.lastId) {
            throw new EapDropException(DropReason.EAP_UNEXPECTED_ID, "EAP identifier " + p.identifier()
                    + " where " + c.lastId + " was expected");
        }
        if (!c.busy.compareAndSet(false, true)) {
            throw new EapDropException(DropReason.EAP_CONVERSATION_BUSY, "the previous step of this conversation is running");
        }
        if (c.method == EapPacket.TLS && p.type() == EapPacket.TLS) {
            CompletableFuture<EapResult> f = new CompletableFuture<>();
            // the pool's thread completes f; the caller continues on its own event loop (whenCompleteAsync)
            try {
                tlsPool.execute(() -> {
                    EapResult res;
                    try {
                        res = step(c, r, p);
                    } catch (Throwable t) {
                        release(c);
                        f.completeExceptionally(t);
                        return;
                    }
                    // released before the answer leaves: the supplicant's next request may arrive at once
                    release(c);
                    deliver(c, res, p.identifier(), f);
                });
            } catch (RejectedExecutionException e) {
                c.busy.set(false);
                throw new EapDropException(DropReason.EAP_OVERLOADED, "EAP-TLS worker queue full");
            }
            return f;
        }
        try {
            return done(step(c, r, p));
        } finally {
            release(c);
        }
    }

    /** Completes {@code f} with an EAP-TLS step's answer; an authentication first waits for OCSP when it is on. */
    private void deliver(Conversation c, EapResult res, int eapId, CompletableFuture<EapResult> f) {
        if (res.kind() != EapResult.Kind.AUTHENTICATED) {
            f.complete(res);
            return;
        }
        if (c.ocsp == null) {
            authenticated.increment();
            f.complete(res);
            return;
        }
        // the answer waits for the responder (or the cache), never a thread
        c.ocsp.thenApply(st -> afterOcsp(res, st, eapId)).whenComplete((x, t) -> {
            if (t != null) {
                f.completeExceptionally(t);
            } else {
                f.complete(x);
            }
        });
    }

    private void release(Conversation c) {
        c.busy.set(false);
        if (conversations.getIfPresent(ByteBuffer.wrap(c.state)) != c) {
            c.close(); // finished, evicted or expired while running
        }
    }

    private static CompletableFuture<EapResult> done(EapResult r) {
        return CompletableFuture.completedFuture(r);
    }

    /** EAP-Response/Identity: a new conversation and its first method request. */
    private EapResult start(RadiusRequest r, EapPacket p) {
        String identity = new String(p.data(), StandardCharsets.UTF_8);
        MacAddress mac = MacAddress.tryParse(identity.strip());
        byte[] state = new byte[16];
        random.nextBytes(state);
        Conversation c = new Conversation(state, r, identity, mac);
        c.lastId = p.identifier();
        started.increment();
        int method = mac != null || tls == null ? EapPacket.MD5 : EapPacket.TLS;
        conversations.put(ByteBuffer.wrap(state), c);
        return begin(c, r, method);
    }

    /** Sends the first request of {@code method}. */
    private EapResult begin(Conversation c, RadiusRequest r, int method) {
        c.method = method;
        if (method == EapPacket.MD5) {
            c.md5Challenge = new byte[16];
            random.nextBytes(c.md5Challenge);
            byte[] d = new byte[17];
            d[0] = 16;
            System.arraycopy(c.md5Challenge, 0, d, 1, 16);
            return challenge(c, d);
        }
        c.tls = new TlsConversation(tls);
        return challenge(c, TlsConversation.start());
    }

    private EapResult challenge(Conversation c, byte[] typeData) {
        challenges.increment();
        List<Attribute> attrs = new ArrayList<>(EapPacket.request(c.nextId(), c.method, typeData).attributes());
        attrs.add(Attribute.of(AttributeType.STATE, c.state));
        return EapResult.challenge(EapPacket.typeName(c.method), attrs);
    }

    /** One response within a conversation. */
    private EapResult step(Conversation c, RadiusRequest r, EapPacket p) {
        if (p.type() == EapPacket.NAK) {
            return nak(c, r, p);
        }
        if (p.type() != c.method) {
            return end(c, reject(EapPacket.typeName(c.method), p.identifier(), seen(c), "eap_unexpected_type",
                    "EAP " + EapPacket.typeName(p.type()) + " response to an " + EapPacket.typeName(c.method) + " request"));
        }
        c.methodStarted = true;
        return c.method == EapPacket.MD5 ? md5(c, r, p) : tlsStep(c, r, p);
    }

    /** Legacy NAK (RFC 3748 §5.3.1): switch to the other method nacgw has if the peer wants it, else reject. */
    private EapResult nak(Conversation c, RadiusRequest r, EapPacket p) {
        List<String> wanted = new ArrayList<>();
        boolean wantsTls = false;
        boolean wantsMd5 = false;
        for (byte b : p.data()) {
            int t = b & 0xFF;
            wanted.add(EapPacket.typeName(t));
            wantsTls |= t == EapPacket.TLS;
            wantsMd5 |= t == EapPacket.MD5;
        }
        if (!c.methodStarted) {
            if (c.method == EapPacket.MD5 && wantsTls && tls != null) {
                return begin(c, r, EapPacket.TLS);
            }
            if (c.method == EapPacket.TLS && wantsMd5 && c.identityMac != null) {
                return begin(c, r, EapPacket.MD5);
            }
        }
        String offered = tls != null ? "EAP-TLS or EAP-MD5 (MAC identities)" : "EAP-MD5 (MAC identities)";
        Map<String, String> seen = seen(c);
        seen.put("eap-nak", String.join(" ", wanted));
        return end(c, reject("eap", p.identifier(), seen, "eap_method_not_supported",
                "nacgw authenticates " + offered + " only; the peer asked for " + (wanted.isEmpty() ? "none"
                        : String.join(", ", wanted))));
    }

    /** EAP-MD5 MAB: the password is the MAC in the identity, in any spelling. */
    private EapResult md5(Conversation c, RadiusRequest r, EapPacket p) {
        byte[] d = p.data();
        if (d.length < 17 || (d[0] & 0xFF) != 16) {
            return end(c, reject("eap-md5", p.identifier(), seen(c), "eap_malformed", "EAP-MD5 response without a 16-byte value"));
        }
        if (c.identityMac == null) {
            return end(c, reject("eap-md5", p.identifier(), seen(c), "eap_md5_identity_not_mac",
                    "nacgw accepts EAP-MD5 only for MAB, where the identity is the MAC address"));
        }
        byte[] value = java.util.Arrays.copyOfRange(d, 1, 17);
        for (String form : macSpellings.apply(c.identityMac)) {
            if (MessageDigest.isEqual(value, md5(p.identifier(), form.getBytes(StandardCharsets.US_ASCII), c.md5Challenge))) {
                return end(c, authenticated(c, r, p, "eap-md5", List.of(c.identityMac), seen(c), List.of()));
            }
        }
        return end(c, reject("eap-md5", p.identifier(), seen(c), "mab_password_mismatch",
                "EAP-MD5 password does not match the MAC address"));
    }

    static byte[] md5(int id, byte[] password, byte[] challenge) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update((byte) id);
            md.update(password);
            md.update(challenge);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** One EAP-TLS response, on the TLS pool. */
    private EapResult tlsStep(Conversation c, RadiusRequest r, EapPacket p) {
        TlsConversation.Step s;
        try {
            s = c.tls.onResponse(p.data(), fragmentLimit(r));
        } catch (MalformedEapException e) {
            return end(c, reject("eap-tls", p.identifier(), seen(c), "eap_malformed", e.getMessage()));
        }
        X509Certificate[] verified = c.tls.clientChain();
        if (ocsp != null && c.ocsp == null && verified != null && verified.length > 0) {
            c.ocsp = ocsp.check(verified); // starts the fetch while the handshake's last round trips go on
        }
        switch (s.kind()) {
            case SEND:
                return challenge(c, s.typeData());
            case FAILED: {
                Map<String, String> seen = seen(c);
                if (s.detail() != null) {
                    seen.put("tls-failure", s.detail());
                }
                String message = s.reason().startsWith("certificate_")
                        ? "client certificate refused: " + s.reason().substring("certificate_".length()).replace('_', ' ')
                        : "EAP-TLS failed: " + s.reason().replace('_', ' ');
                return end(c, reject("eap-tls", p.identifier(), seen, s.reason(), message));
            }
            case DONE:
            default:
                return end(c, tlsDone(c, r, p));
        }
    }

    private EapResult tlsDone(Conversation c, RadiusRequest r, EapPacket p) {
        EapTlsPeer peer = c.tls.peer();
        (peer.resumed() ? tlsResumed : tlsFull).increment();
        if (peer.resumedByTicket()) {
            tlsResumedByTicket.increment();
        }
        X509Certificate[] chain = c.tls.clientChain();
        Map<String, String> seen = seen(c);
        seen.put("tls", peer.version() + (peer.resumedByTicket() ? " resumed by ticket" : peer.resumed() ? " resumed" : ""));
        CertificateDeviceIds found = null;
        X509Certificate leaf = null;
        if (chain != null && chain.length > 0) {
            leaf = chain[0];
            seen.put("cert-subject", leaf.getSubjectX500Principal().getName());
            seen.put("cert-serial", leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
            seen.put("cert-issuer", leaf.getIssuerX500Principal().getName());
            found = DeviceIds.fromCertificate(leaf);
        }
        List<DeviceIdentifier> ids = deviceIds(settings.deviceIdSources(), leaf, found,
                MacAddress.tryParse(r.text(AttributeType.CALLING_STATION_ID)));
        byte[] keys = peer.keyMaterial();
        List<Attribute> mppe = MppeKeys.attributes(keys, r.secret(), r.authenticator());
        java.util.Arrays.fill(keys, (byte) 0);
        return accepted(p, "eap-tls", ids, seen, mppe);
    }

    /** The authenticated answer adjusted by the certificate's OCSP status, per {@code radius.eap.tls.ocsp}. */
    private EapResult afterOcsp(EapResult res, OcspChecker.Status st, int eapId) {
        Map<String, String> seen = new LinkedHashMap<>(res.seen());
        seen.put("ocsp", st.kind().name().toLowerCase(Locale.ROOT) + ": " + st.detail());
        boolean require = settings.ocsp().mode() == OcspSettings.Mode.REQUIRE;
        switch (st.kind()) {
            case GOOD:
                break;
            case REVOKED:
                return reject("eap-tls", eapId, seen, "certificate_revoked",
                        "client certificate refused: revoked (OCSP)");
            case UNKNOWN:
                if (require) {
                    return reject("eap-tls", eapId, seen, "certificate_status_unknown",
                            "client certificate refused: the OCSP responder does not know it");
                }
                break;
            default:
                if (require) {
                    return reject("eap-tls", eapId, seen, "certificate_status_unavailable",
                            "client certificate refused: no OCSP answer (radius.eap.tls.ocsp is require)");
                }
                break;
        }
        authenticated.increment();
        return new EapResult(res.kind(), res.attributes(), res.failureAttributes(), res.method(), res.identifiers(),
                seen, null, null);
    }

    /** The identifiers to look up, in the configured order of sources, each once. */
    static List<DeviceIdentifier> deviceIds(List<DeviceIdSource> sources, X509Certificate leaf,
                                            CertificateDeviceIds found, MacAddress calling) {
        java.util.LinkedHashSet<DeviceIdentifier> ids = new java.util.LinkedHashSet<>();
        for (DeviceIdSource s : sources) {
            ids.addAll(s.find(leaf, found, calling));
        }
        return new ArrayList<>(ids);
    }

    private EapResult authenticated(Conversation c, RadiusRequest r, EapPacket p, String method,
                                    List<DeviceIdentifier> ids, Map<String, String> seen, List<Attribute> keys) {
        authenticated.increment();
        return accepted(p, method, ids, seen, keys);
    }

    /** An authenticated answer, not yet counted (EAP-TLS counts it when OCSP, if on, has agreed). */
    private static EapResult accepted(EapPacket p, String method, List<DeviceIdentifier> ids, Map<String, String> seen,
                                      List<Attribute> keys) {
        List<Attribute> accept = new ArrayList<>(EapPacket.result(EapPacket.SUCCESS, p.identifier()).attributes());
        accept.addAll(keys);
        return new EapResult(EapResult.Kind.AUTHENTICATED, accept,
                EapPacket.result(EapPacket.FAILURE, p.identifier()).attributes(), method, ids, seen, null, null);
    }

    private EapResult reject(String method, int eapId, Map<String, String> seen, String reason, String message) {
        rejected.increment();
        return EapResult.reject(method, eapId, seen, reason, message);
    }

    /** Removes a finished conversation; its TLS state is closed when the step releases it. */
    private EapResult end(Conversation c, EapResult result) {
        conversations.asMap().remove(ByteBuffer.wrap(c.state), c);
        return result;
    }

    private static Map<String, String> seen(Conversation c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("eap-identity", c.identity);
        return m;
    }

    /** TLS bytes per EAP-TLS request: the configured size, or less when the NAS's Framed-MTU asks. */
    private int fragmentLimit(RadiusRequest r) {
        Attribute mtu = r.first(FRAMED_MTU);
        long m = mtu == null ? -1 : mtu.asInt();
        int limit = settings.fragmentSize();
        if (m > 0) {
            limit = (int) Math.max(64, Math.min(limit, m - EAP_TLS_OVERHEAD));
        }
        return limit;
    }

    /** A snapshot of the counters. */
    public EapStats stats() {
        conversations.cleanUp();
        SessionTickets tickets = tls == null ? null : tls.tickets();
        return new EapStats(conversations.estimatedSize(), started.sum(), challenges.sum(), authenticated.sum(),
                rejected.sum(), unknownState.sum(), evicted.sum(), expired.sum(), tlsFull.sum(), tlsResumed.sum(),
                tls == null ? 0 : tls.sessionsCached(), crlFetcher == null ? 0 : crlFetcher.failures(),
                ocsp == null ? 0 : ocsp.good(), ocsp == null ? 0 : ocsp.revoked(), ocsp == null ? 0 : ocsp.unknown(),
                ocsp == null ? 0 : ocsp.unavailable(), ocsp == null ? 0 : ocsp.requests(), tlsResumedByTicket.sum(),
                tickets == null ? 0 : tickets.issued(), tickets == null ? 0 : tickets.tooLarge(),
                tickets == null ? 0 : tickets.refused(SessionTickets.Refusal.UNKNOWN_KEY),
                tickets == null ? 0 : tickets.refused(SessionTickets.Refusal.INVALID),
                tickets == null ? 0 : tickets.refused(SessionTickets.Refusal.EXPIRED));
    }

    /** Expires idle conversations now (also happens on every access). */
    void cleanUp() {
        conversations.cleanUp();
    }

    @Override
    public void close() {
        closed = true; // a warm-up still running stops after its current handshake
        if (crlFetcher != null) {
            crlFetcher.close();
        }
        if (ocsp != null) {
            ocsp.close();
        }
        conversations.invalidateAll();
    }
}
