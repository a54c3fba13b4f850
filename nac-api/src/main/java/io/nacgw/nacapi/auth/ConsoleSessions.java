package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in console browsers. A session is a random 256-bit id (the cookie) and a random CSRF token, both made at
 * login: a login always makes a new session and ends the one the browser presented (no fixation). Sessions end
 * after {@code idleTimeout} without a request, at logout, or when {@code maxSessions} are open and a newer login
 * needs the room (the least recently used goes). Only a SHA-256 of each id is kept, so a heap dump holds no
 * usable cookie; tokens are compared in constant time.
 */
public final class ConsoleSessions {
    /** The cookie's name. */
    public static final String COOKIE = "nacgw_console";

    private final Clock clock;
    private final long idleMillis;
    private final int maxSessions;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();

    public ConsoleSessions(Duration idleTimeout, int maxSessions, Clock clock) {
        if (idleTimeout.compareTo(Duration.ofMinutes(1)) < 0 || idleTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("api.console.idleTimeout must be 1m to 24h, got " + idleTimeout);
        }
        if (maxSessions < 1 || maxSessions > 100_000) {
            throw new IllegalArgumentException("api.console.maxSessions must be 1 to 100000, got " + maxSessions);
        }
        this.clock = clock;
        this.idleMillis = idleTimeout.toMillis();
        this.maxSessions = maxSessions;
    }

    /** A new session: {@code id} goes in the cookie, {@code csrf} to the page. */
    public record Started(String id, String csrf) {
        @Override
        public String toString() {
            return "Started[redacted]";
        }
    }

    /** A live session's owner and its CSRF token. */
    public record Session(ApiPrincipal principal, String csrf) {
        @Override
        public String toString() {
            return "Session[" + principal.name() + "]";
        }

        /** True when {@code presented} is this session's CSRF token (constant time). */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Starts a session for {@code principal}, ending {@code previousId}'s (the cookie the login came with) if any. */
    public Started start(ApiPrincipal principal, String previousId) {
        if (previousId != null) {
            sessions.remove(hash(previousId));
        }
        long now = clock.millis();
        if (sessions.size() >= maxSessions) {
            sessions.values().removeIf(e -> now - e.lastSeen > idleMillis);
            while (sessions.size() >= maxSessions) {
                String oldest = null;
                long seen = Long.MAX_VALUE;
                for (Map.Entry<String, Entry> e : sessions.entrySet()) {
                    if (e.getValue().lastSeen < seen) {
                        seen = e.getValue().lastSeen;
                        oldest = e.getKey();
                    }
                }
                if (oldest == null) {
                    break;
                }
                sessions.remove(oldest);
            }
        }
        String id = token();
        String csrf = token();
        sessions.put(hash(id), new Entry(new Session(principal, csrf), now));
        return new Started(id, csrf);
    }

    /** The live session of cookie value {@code id}, its idle clock restarted; empty when unknown or expired. */
    public Optional<Session> resolve(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        String key = hash(id);
        Entry e = sessions.get(key);
        if (e == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (now - e.lastSeen > idleMillis) {
            sessions.remove(key, e);
            return Optional.empty();
        }
        e.lastSeen = now;
        return Optional.of(e.session);
    }

    /** Ends the session of cookie value {@code id}; true when there was one. */
    public boolean end(String id) {
        return id != null && sessions.remove(hash(id)) != null;
    }

    /** Sessions held (expired ones included until they are next looked at or pruned). */
    public int size() {
        return sessions.size();
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Entry {
        final Session session;
        volatile long lastSeen;

        Entry(Session session, long lastSeen) {
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }
}
