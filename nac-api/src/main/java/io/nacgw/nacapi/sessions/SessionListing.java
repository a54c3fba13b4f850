package io.nacgw.nacapi.sessions;

import io.nacgw.nacapi.Paths;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionFilter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session listing shared by {@code GET /api/v1/sessions} and the operations port's {@code GET /sessions}
 * ({@code nacgw sessions list}): one query syntax ({@code mac}, {@code nas}, {@code active}, {@code limit}) and one
 * JSON shape.
 */
public final class SessionListing {
    /** Sessions listed when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 1000;
    /** The most one listing returns. */
    public static final int MAX_LIMIT = 10_000;
    private static final Set<String> PARAMS = Set.of("mac", "nas", "active", "limit");
    private static final JsonFactory JSON = new JsonFactory();

    private SessionListing() {
    }

    /**
     * The filter for these query parameters (one extra row is asked for, so the listing can say it was cut);
     * throws {@link IllegalArgumentException} with a message for the caller for an unknown parameter or bad value.
     */
    public static SessionFilter filter(Map<String, String> query) {
        for (String k : query.keySet()) {
            if (!PARAMS.contains(k)) {
                throw new IllegalArgumentException("unknown parameter '" + Paths.printable(k)
                        + "' (known: mac, nas, active, limit)");
            }
        }
        MacAddress mac = null;
        String m = query.get("mac");
        if (m != null) {
            mac = MacAddress.tryParse(m.strip());
            if (mac == null) {
                throw new IllegalArgumentException("mac '" + Paths.printable(m) + "' is not a MAC address");
            }
        }
        String active = query.get("active");
        if (active != null && !active.equals("true") && !active.equals("false")) {
            throw new IllegalArgumentException("active must be true or false");
        }
        int limit = DEFAULT_LIMIT;
        String l = query.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
            }
        }
        String nas = query.get("nas");
        if (nas != null && nas.length() > 260) {
            throw new IllegalArgumentException("nas is longer than 260 characters");
        }
        return new SessionFilter(nas, mac, null, null, "true".equals(active), limit + 1);
    }

    /** A raw query string ({@code a=1&b=2}, percent-encoded) as a map of first values. */
    public static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad percent-encoding in the query");
        }
    }

    /**
     * {@code {"sessions": [...], "count": n, "truncated": bool}} for the rows {@link #filter} asked for (one more
     * than the limit means there were more).
     */
    public static String json(List<Session> rows, SessionFilter filter, Instant now) {
        int shown = Math.min(rows.size(), filter.limit() - 1);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("sessions");
            for (int i = 0; i < shown; i++) {
                write(g, rows.get(i), now);
            }
            g.writeEndArray();
            g.writeNumberField("count", shown);
            g.writeBooleanField("truncated", rows.size() > shown);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Session s, Instant now) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeBooleanField("active", s.active(now));
        g.writeObjectFieldStart("nas");
        g.writeStringField("id", s.nas().id());
        g.writeStringField("client", s.nas().client());
        g.writeStringField("address", s.nas().address());
        g.writeStringField("source", s.nas().source());
        g.writeEndObject();
        string(g, "acctSessionId", s.acctSessionId());
        if (s.nasPort() != null) {
            g.writeNumberField("nasPort", s.nasPort());
        }
        string(g, "nasPortId", s.nasPortId());
        string(g, "mac", s.mac() == null ? null : s.mac().canonical());
        string(g, "deviceId", s.deviceId() == null ? null : s.deviceId().canonical());
        string(g, "userName", s.userName());
        string(g, "framedIp", s.framedIp());
        string(g, "class", s.classValue());
        string(g, "auditSessionId", s.auditSessionId());
        string(g, "profile", s.profile());
        string(g, "verdict", s.verdict() == null ? null : s.verdict().wireName());
        string(g, "decisionId", s.decisionId());
        string(g, "authorizedAt", s.authorizedAt());
        string(g, "expiresAt", s.expiresAt());
        string(g, "startedAt", s.startedAt());
        string(g, "updatedAt", s.updatedAt());
        string(g, "stoppedAt", s.stoppedAt());
        if (s.terminateCause() != null) {
            g.writeNumberField("terminateCause", s.terminateCause());
        }
        string(g, "owner", s.owner());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, Object v) throws IOException {
        if (v != null) {
            g.writeStringField(name, v.toString());
        }
    }
}
