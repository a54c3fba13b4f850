package io.nacgw.core.id;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class MacAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"AA-BB-CC-DD-EE-0F", "aa:bb:cc:dd:ee:0f", "aabb.ccdd.ee0f", "AABBCCDDEE0F", "aabbccddee0f",
            "aabb-ccdd-ee0f", "Aa:bB:cc:DD:ee:0F", "aabbcc-ddee0f", "AABBCC.DDEE0F", "aabbcc:ddee0f",
            "AA.BB.CC.DD.EE.0F", "aabb:ccdd:ee0f", "AABB-CCDD-EE0F"})
    void parse_everyVendorForm_isOneCanonicalValue(String text) {
        MacAddress mac = MacAddress.parse(text);
        assertEquals("aa:bb:cc:dd:ee:0f", mac.canonical());
        assertEquals("AABBCCDDEE0F", mac.toHex12());
        assertEquals("AA-BB-CC-DD-EE-0F", mac.toRfc3580());
        assertEquals(0xAABBCCDDEE0FL, mac.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "gg:bb:cc:dd:ee:ff", "aa:bb-cc:dd:ee:ff",
            "aabb:ccdd:eeff:", "aab:bcc:dde:eff", "aa::bb:cc:dd:eeff", " aabbccddeeff", "aabbccddeef\u0661",
            "a:abb:cc:dd:ee:ff", "10.0.0.1", "aa:bb:cc:dd:ee:fg", "aabbc-cddeeff", "aabbcc-ddeef", "aabbcc-ddeefff",
            "aabbcc.ddee-ff", "aabb.cc-ddeeff", "aabbccd-deeff", "-aabbccddeeff", "aabbccddeeff-", "aabbcc--deeff"})
    void parse_garbage_isRejectedWithMessage(String text) {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> MacAddress.parse(text));
        assertTrue(e.getMessage().startsWith("invalid MAC address"), e.getMessage());
        assertNull(MacAddress.tryParse(text));
    }

    @Test
    void parse_null_isRejected() {
        assertThrows(InvalidIdentifierException.class, () -> MacAddress.parse(null));
    }

    @Test
    void of_sixBinaryBytes_matchesText() {
        byte[] raw = {(byte) 0xdc, (byte) 0xa6, 0x32, 0x6d, (byte) 0xa3, (byte) 0xba};
        assertEquals(MacAddress.parse("DC-A6-32-6D-A3-BA"), MacAddress.of(raw));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
    }

    @Test
    void indexKey_equalForEqualMacs_differentFromOtherKinds() {
        assertEquals(MacAddress.parse("aabbccddeeff").indexKey(), MacAddress.parse("AA:BB:CC:DD:EE:FF").indexKey());
        assertTrue(MacAddress.parse("000000000001").indexKey() != Imei.parse("490154203237518").indexKey());
    }

    @Test
    void exceptionMessage_capsAndEscapesHostileInput() {
        String hostile = "x\n".repeat(100);
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> MacAddress.parse(hostile));
        assertTrue(e.getMessage().length() < 200);
        assertTrue(!e.getMessage().contains("\n"));
    }
}
