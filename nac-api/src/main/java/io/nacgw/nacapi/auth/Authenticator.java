package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.core.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns a request's client certificate and {@code Authorization} header into a caller. PBKDF2 is deliberately
 * slow, so verification runs on a small bounded executor and a verified credential is remembered (keyed by a
 * keyed hash of the header, never the password itself) so keep-alive clients pay for it once. Under a flood:
 * identical concurrent requests share one verification (single flight); an attempt counts against its source
 * before it is verified (so a burst cannot overrun the per-source limit); and credentials never verified before
 * may occupy at most {@code maxUnverifiedInFlight} verifications at once, so guesses from rotating addresses cannot
 * starve clients whose credential is cached or verified before.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final LogThrottle THROTTLE = LogThrottle.every(Duration.ofSeconds(1));
    static final int MAX_CACHED = 10_000;

    /** The outcome: a caller, or an HTTP status with a reason for the log (never the credential). */
    public record Result(ApiPrincipal principal, int status, String reason, long retryAfterSeconds) {
        static Result ok(ApiPrincipal p) {
            return new Result(p, 200, null, 0);
        }

        static Result fail(int status, String reason) {
            return new Result(null, status, reason, 0);
        }
    }

    /** Basic users by name; replaced whole by a reload ({@link #replaceUsers}). */
    private volatile Map<String, ApiUser> users;
    /** Bumped by every user replacement: a verification started before it must not fill the cache after it. */
    private final java.util.concurrent.atomic.AtomicLong userGeneration = new java.util.concurrent.atomic.AtomicLong();
    private final ClientIdentityResolver certificates;
    static final int MAX_REMEMBERED_CERTIFICATES = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<X509Certificate, Optional<ApiPrincipal>> principals;
    private final FailureLimiter limiter;
    private final Executor verifier;
    private final Clock clock;
    private final long cacheTtlMs;
    private final byte[] cacheKey = new byte[32];
    /** One keyed MAC per thread: the cache id is computed on the event loop for every Basic request. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final ConcurrentHashMap<String, Cached> verified = new ConcurrentHashMap<>();
    /** Verifications running or queued, by credential: identical concurrent requests share one (single flight). */
    private final ConcurrentHashMap<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();
    /** Credentials that verified at least once (bounded): their re-verification is never shed as unknown work. */
    private final ConcurrentHashMap<String, Boolean> everVerified = new ConcurrentHashMap<>();
    /** Verifications of never-verified credentials running or queued, across all sources. */
    private final java.util.concurrent.atomic.AtomicInteger unverified = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxUnverified;
    private final GuardMetrics guards;
    /** Verified with a constant cost when the user is unknown, so timing does not reveal valid user names. */
    private final PasswordHash decoy;

    public Authenticator(AuthSettings settings, Executor verifier, Clock clock) {
        this(settings, verifier, clock, new GuardMetrics());
    }

    public Authenticator(AuthSettings settings, Executor verifier, Clock clock, GuardMetrics guards) {
        this.guards = guards;
        this.maxUnverified = settings.maxUnverifiedInFlight();
        this.users = byName(settings.users());
        this.certificates = settings.certificates();
        this.principals = new java.util.concurrent.ConcurrentHashMap<>();
        this.limiter = new FailureLimiter(settings.maxFailuresPerWindow(), settings.failureWindow().toMillis(), clock);
        this.verifier = verifier;
        this.clock = clock;
        this.cacheTtlMs = settings.verifiedCacheTtl().toMillis();
        new SecureRandom().nextBytes(cacheKey);
        int iterations = settings.users().isEmpty() ? PasswordHash.MIN_ITERATIONS
                : settings.users().get(0).password().iterations();
        this.decoy = PasswordHash.create("decoy".toCharArray(), iterations);
    }

    private static Map<String, ApiUser> byName(java.util.List<ApiUser> list) {
        Map<String, ApiUser> m = new HashMap<>();
        for (ApiUser u : list) {
            m.put(u.name(), u);
        }
        return Map.copyOf(m);
    }

    /**
     * Replaces the Basic users (a reload): from the next request on only the new list counts, and every cached
     * verification is forgotten, so a removed user or a changed password stops working at once.
     */
    public void replaceUsers(java.util.List<ApiUser> next) {
        users = byName(next);
        userGeneration.incrementAndGet();
        verified.clear();
        everVerified.clear();
    }

    /**
     * The principal of a verified client certificate, resolved once per certificate: resolving parses the
     * certificate's names, which on a keep-alive connection would otherwise happen on every request. Bounded: the
     * memo starts over when it holds {@link #MAX_REMEMBERED_CERTIFICATES}.
     */
    private Optional<ApiPrincipal> principalOf(X509Certificate peer) {
        Optional<ApiPrincipal> p = principals.get(peer);
        if (p == null) {
            p = certificates.resolve(peer);
            if (principals.size() >= MAX_REMEMBERED_CERTIFICATES) {
                principals.clear();
            }
            principals.put(peer, p);
        }
        return p;
    }

    /**
     * Authenticates; completes at once unless a password has to be verified. {@code peer} is the verified
     * client certificate or null.
     */
    public CompletableFuture<Result> authenticate(InetAddress source, String authorization, X509Certificate peer) {
        if (authorization == null) {
            if (peer != null) {
                Optional<ApiPrincipal> p = principalOf(peer);
                if (p.isPresent()) {
                    return CompletableFuture.completedFuture(Result.ok(p.get()));
                }
                return CompletableFuture.completedFuture(Result.fail(401, "client certificate carries no nacgw role"));
            }
            return CompletableFuture.completedFuture(Result.fail(401, "no credentials"));
        }
        long blocked = limiter.blockedSeconds(source);
        if (blocked > 0) {
            return CompletableFuture.completedFuture(new Result(null, 429, "too many failed logins", blocked));
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return CompletableFuture.completedFuture(failure(source, "unsupported authorization scheme"));
        }
        String cacheId = cacheId(authorization);
        Cached c = verified.get(cacheId);
        long now = clock.millis();
        if (c != null && c.expiresAt > now) {
            return CompletableFuture.completedFuture(Result.ok(c.principal));
        }
        CompletableFuture<Result> running = inFlight.get(cacheId);
        if (running != null) {
            return follow(source, running);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(failure(source, "malformed Basic credentials"));
        }
        long wait = limiter.tryAttempt(source); // counted before the slow part, refunded when it succeeds
        if (wait > 0) {
            Arrays.fill(decoded, (byte) 0);
            return CompletableFuture.completedFuture(new Result(null, 429, "too many failed logins", wait));
        }
        boolean known = everVerified.containsKey(cacheId);
        if (!known && unverified.incrementAndGet() > maxUnverified) {
            unverified.decrementAndGet();
            limiter.refund(source);
            Arrays.fill(decoded, (byte) 0);
            guards.basicShed.increment();
            return CompletableFuture.completedFuture(new Result(null, 503, "password verifier busy", 1));
        }
        CompletableFuture<Result> out = new CompletableFuture<>();
        CompletableFuture<Result> raced = inFlight.putIfAbsent(cacheId, out);
        if (raced != null) { // an identical request got there first: share its verification
            release(known, source);
            Arrays.fill(decoded, (byte) 0);
            return follow(source, raced);
        }
        try {
            verifier.execute(() -> {
                Result r;
                try {
                    guards.basicVerifications.increment();
                    r = verify(source, decoded, cacheId);
                } catch (RuntimeException e) {
                    r = Result.fail(500, "verification failed");
                }
                finish(cacheId, known, source, out, r);
            });
        } catch (RejectedExecutionException e) {
            Arrays.fill(decoded, (byte) 0);
            finish(cacheId, known, source, out, new Result(null, 503, "password verification queue is full", 1));
        }
        return out;
    }

    /** A request whose credential is being verified for an identical request: it waits for that one result. */
    private CompletableFuture<Result> follow(InetAddress source, CompletableFuture<Result> running) {
        guards.basicCoalesced.increment();
        return running.thenApply(r -> {
            if (r.status() == 401) {
                limiter.recordFailure(source); // each failed request counts against its own source
            }
            return r;
        });
    }

    private void finish(String cacheId, boolean known, InetAddress source, CompletableFuture<Result> out, Result r) {
        inFlight.remove(cacheId, out);
        if (r.status() != 401) {
            release(known, source); // only a wrong credential keeps its counted attempt
        } else if (!known) {
            unverified.decrementAndGet();
        }
        out.complete(r);
    }

    private void release(boolean known, InetAddress source) {
        if (!known) {
            unverified.decrementAndGet();
        }
        limiter.refund(source);
    }

    private Result verify(InetAddress source, byte[] decoded, String cacheId) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(decoded));
        Arrays.fill(decoded, (byte) 0);
        char[] all = new char[chars.remaining()];
        chars.get(all);
        Arrays.fill(chars.array(), '\0');
        try {
            int colon = -1;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) {
                return logged(source, "malformed Basic credentials");
            }
            String name = new String(all, 0, colon);
            long generation = userGeneration.get();
            char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
            try {
                ApiUser u = users.get(name);
                boolean ok;
                if (u != null) {
                    ok = u.password().verify(password);
                } else {
                    decoy.verify(password); // same cost as a real check
                    ok = false;
                }
                if (!ok) {
                    return logged(source, u == null ? "unknown user" : "wrong password for user " + name);
                }
                if (cacheTtlMs > 0 && generation == userGeneration.get()) {
                    if (verified.size() >= MAX_CACHED) {
                        long now = clock.millis();
                        verified.values().removeIf(e -> e.expiresAt <= now);
                        if (verified.size() >= MAX_CACHED) {
                            verified.clear();
                        }
                    }
                    verified.put(cacheId, new Cached(u.principal(), clock.millis() + cacheTtlMs));
                }
                if (everVerified.size() >= MAX_CACHED) {
                    everVerified.clear();
                }
                everVerified.put(cacheId, Boolean.TRUE);
                return Result.ok(u.principal());
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(all, '\0');
        }
    }

    private Result failure(InetAddress source, String reason) {
        limiter.recordFailure(source);
        return logged(source, reason);
    }

    /** A 401 with its (rate-limited) log line; the attempt was already counted. */
    private Result logged(InetAddress source, String reason) {
        long suppressed = THROTTLE.admit();
        if (suppressed >= 0) {
            log.warn("API authentication failed from {}: {} ({} more failures not logged)", source.getHostAddress(),
                    reason, suppressed);
        }
        return Result.fail(401, reason);
    }

    private String cacheId(String authorization) {
        return Base64.getEncoder().encodeToString(macs.get().doFinal(authorization.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Cached(ApiPrincipal principal, long expiresAt) {
    }
}
