package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small pieces of the request path: MAC spellings, duplicate cache bounds, Reply-Message cutting. */
final class UnitsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 5000);

    @Test
    void mac_binaryCallingStationId_isParsed() {
        Attribute binary = Attribute.of(AttributeType.CALLING_STATION_ID, new byte[]{0, 0x11, 0x22, 0x33, 0x44, 0x55});
        assertEquals(MacAddress.parse("00:11:22:33:44:55"), RequestFacts.mac(binary));
        assertEquals(MacAddress.parse("00:11:22:33:44:55"),
                RequestFacts.mac(Attribute.text(AttributeType.CALLING_STATION_ID, "0011-2233-4455")));
        assertNull(RequestFacts.mac(Attribute.text(AttributeType.CALLING_STATION_ID, "203.0.113.5")));
    }

    @Test
    void macForms_coverVendorSpellings() {
        assertTrue(AccessAuthorizer.macForms(MacAddress.parse("aa:bb:cc:dd:ee:ff")).containsAll(java.util.List.of(
                "aabbccddeeff", "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff", "aabb.ccdd.eeff", "aabb-ccdd-eeff", "aabbcc-ddeeff",
                "AABBCC.DDEEFF", "AA.BB.CC.DD.EE.FF", "aabb:ccdd:eeff")));
        assertEquals(20, AccessAuthorizer.macForms(MacAddress.parse("aa:bb:cc:dd:ee:ff")).size());
    }

    @Test
    void duplicateCache_isBounded() {
        DuplicateCache c = new DuplicateCache(100, Duration.ofSeconds(10), new MutableClock(Instant.EPOCH));
        for (int i = 0; i < 1000; i++) {
            c.begin(new InetSocketAddress("192.0.2.1", 1000 + i), 1, 1, new byte[16]);
        }
        assertTrue(c.size() <= 100, "size " + c.size());
    }

    @Test
    void duplicateCache_abandon_forgetsOnlyUnanswered() {
        DuplicateCache c = new DuplicateCache(100, Duration.ofSeconds(10), new MutableClock(Instant.EPOCH));
        byte[] auth = new byte[16];
        assertEquals(DuplicateCache.Verdict.NEW, c.begin(PEER, 1, 7, auth).verdict());
        assertEquals(DuplicateCache.Verdict.IN_PROGRESS, c.begin(PEER, 1, 7, auth).verdict());
        c.abandon(PEER, 1, 7, auth);
        assertEquals(DuplicateCache.Verdict.NEW, c.begin(PEER, 1, 7, auth).verdict());
        c.complete(PEER, 1, 7, auth, new byte[]{9});
        c.abandon(PEER, 1, 7, auth);
        assertEquals(DuplicateCache.Verdict.RESEND, c.begin(PEER, 1, 7, auth).verdict());
        assertEquals(DuplicateCache.Verdict.NEW, c.begin(PEER, 4, 7, auth).verdict(), "code is part of the key");
    }

    @Test
    void replyMessage_isCutOnACharacterBoundary() {
        String s = "é".repeat(200); // 400 bytes
        Attribute a = ReplyAttributes.replyMessage(s);
        assertTrue(a.length() <= 253);
        assertTrue(new String(a.value(), StandardCharsets.UTF_8).chars().allMatch(ch -> ch == 'é'));
    }

    @Test
    void ssid_fromCalledStationId() {
        assertEquals("corp", RequestFacts.ssid(io.nacgw.radius.server.UnitsTest.request("AA-BB-CC-DD-EE-FF:corp")));
        assertEquals("a:b", RequestFacts.ssid(request("aabbccddeeff:a:b")));
        assertNull(RequestFacts.ssid(request("AA-BB-CC-DD-EE-FF")));
    }

    static io.nacgw.radius.codec.RadiusRequest request(String called) {
        return new io.nacgw.radius.codec.RadiusRequest(1, 1, new byte[16],
                java.util.List.of(Attribute.text(AttributeType.CALLED_STATION_ID, called)), PEER,
                io.nacgw.radius.NasClient.builder("n", "192.0.2.1", "s").build(), io.nacgw.core.secret.Secret.of("s"), 0);
    }
}
