package io.nacgw.nacapi.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionFilter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SessionListingTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final NasRef NAS = new NasRef("ip:10.1.0.1", "proxy", "10.1.0.1", "192.0.2.100");

    private static Session session(String id, Instant expires) {
        return new Session(id, NAS, null, 7L, "Gi1/0/7", MacAddress.parse("00:11:22:33:44:55"), null, "u", null,
                "nacgw:ab", null, "corp", Verdict.QUARANTINE, "ab", T0, expires, T0, T0, null, null, "gw-a");
    }

    @Test
    void filter_parsesEveryParameter_andAsksOneRowMore() {
        SessionFilter f = SessionListing.filter(Map.of("mac", "001122-334455", "nas", "sw1", "active", "true",
                "limit", "5"));
        assertEquals(MacAddress.parse("00:11:22:33:44:55"), f.mac());
        assertEquals("sw1", f.nas());
        assertTrue(f.activeOnly());
        assertEquals(6, f.limit());
        SessionFilter none = SessionListing.filter(Map.of());
        assertNull(none.mac());
        assertFalse(none.activeOnly());
        assertEquals(SessionListing.DEFAULT_LIMIT + 1, none.limit());
    }

    @Test
    void filter_badInput_isRejectedWithAMessage() {
        for (Map<String, String> q : List.of(Map.of("mac", "zz"), Map.of("active", "yes"), Map.of("limit", "0"),
                Map.of("limit", "10001"), Map.of("limit", "x"), Map.of("device", "1"), Map.of("nas", "n".repeat(261)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionListing.filter(q));
            assertFalse(e.getMessage().isBlank(), q.toString());
        }
    }

    @Test
    void parseQuery_decodesAndKeepsTheFirstValue() {
        assertEquals(Map.of("nas", "id:sw 1", "mac", "a"), SessionListing.parseQuery("nas=id%3Asw+1&mac=a&mac=b"));
        assertEquals(Map.of(), SessionListing.parseQuery(""));
        assertThrows(IllegalArgumentException.class, () -> SessionListing.parseQuery("nas=%zz"));
    }

    @Test
    void json_listsSessionsAndSaysWhenCut() throws Exception {
        SessionFilter f = SessionListing.filter(Map.of("limit", "1"));
        String json = SessionListing.json(List.of(session("a", T0.plusSeconds(60)), session("b", T0)), f,
                T0.plusSeconds(1));
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals(1, n.path("count").asInt());
        assertTrue(n.path("truncated").asBoolean());
        JsonNode s = n.path("sessions").get(0);
        assertEquals("a", s.path("id").asText());
        assertTrue(s.path("active").asBoolean());
        assertEquals("ip:10.1.0.1", s.path("nas").path("id").asText());
        assertEquals("192.0.2.100", s.path("nas").path("source").asText());
        assertEquals("00:11:22:33:44:55", s.path("mac").asText());
        assertEquals("quarantine", s.path("verdict").asText());
        assertEquals(7, s.path("nasPort").asInt());
        assertFalse(s.has("acctSessionId"), "not named by accounting yet");
        assertEquals("gw-a", s.path("owner").asText());
        assertEquals(T0.plusSeconds(60).toString(), s.path("expiresAt").asText());
        assertFalse(new ObjectMapper().readTree(SessionListing.json(List.of(session("b", T0)), f, T0.plusSeconds(1)))
                .path("sessions").get(0).path("active").asBoolean(), "expired");
    }
}
