package io.nacgw.core.id;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class IdentifiersTest {

    @Test
    void imei_validLuhn_isAcceptedWithSeparators() {
        assertEquals("490154203237518", Imei.parse("49-015420-323751-8").canonical());
        assertEquals("490154203237518", Imei.parse("490154203237518").canonical());
    }

    @Test
    void imei_badCheckDigit_isRejected() {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Imei.parse("490154203237519"));
        assertTrue(e.getMessage().contains("Luhn"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4901542032375", "49015420323751a", "", "4901542032375180"})
    void imei_wrongShape_isRejected(String text) {
        assertThrows(InvalidIdentifierException.class, () -> Imei.parse(text));
    }

    @Test
    void imei_sixteenDigits_isExplainedAsImeisv() {
        InvalidIdentifierException e = assertThrows(InvalidIdentifierException.class, () -> Imei.parse("4901542032375180"));
        assertTrue(e.getMessage().contains("IMEISV"), e.getMessage());
    }

    @Test
    void imei_checkDigitGenerator_producesValidImeis() {
        for (long base = 35_209_900_176_148L; base < 35_209_900_176_148L + 50; base++) {
            String s = base + "" + Imei.luhnCheckDigit(base);
            assertEquals(s, Imei.parse(s).canonical());
            assertEquals(Imei.parse(s), Imei.ofValue(Imei.parse(s).value()));
        }
    }

    @Test
    void meid_hexAndDecimalForms_areOneValue() {
        Meid hex = Meid.parse("a10000009296f2");
        assertEquals("A10000009296F2", hex.canonical());
        // decimal form: manufacturer code 0xA1000000 = 2701131776, serial 0x9296F2 = 09606898
        assertEquals(hex, Meid.parse("270113177609606898"));
        assertThrows(InvalidIdentifierException.class, () -> Meid.parse("A10000009296F"));
        assertThrows(InvalidIdentifierException.class, () -> Meid.parse("Z10000009296F2"));
    }

    @Test
    void udid_threeAppleForms_acceptedOthersRejected() {
        assertEquals("00008030-001A2D3E3C41802E", Udid.parse("00008030-001a2d3e3c41802e").canonical());
        assertEquals(40, Udid.parse("a".repeat(40)).canonical().length());
        assertEquals("1759C0FD-7B3C-4D2A-9F5E-0123456789AB", Udid.parse("1759c0fd-7b3c-4d2a-9f5e-0123456789ab").value());
        assertThrows(InvalidIdentifierException.class, () -> Udid.parse("g".repeat(40)));
        assertThrows(InvalidIdentifierException.class, () -> Udid.parse("abc"));
    }

    @Test
    void serial_normalisedUpperCase_rejectsControlAndOversize() {
        assertEquals("C02XK1ABJG5H", SerialNumber.parse(" c02xk1abjg5h ").value());
        assertThrows(InvalidIdentifierException.class, () -> SerialNumber.parse("abc\u0000"));
        assertThrows(InvalidIdentifierException.class, () -> SerialNumber.parse("a b"));
        assertThrows(InvalidIdentifierException.class, () -> SerialNumber.parse(""));
        assertThrows(InvalidIdentifierException.class, () -> SerialNumber.parse("x".repeat(65)));
    }

    @Test
    void guid_braceUpperAndCompactForms_normalise() {
        DeviceGuid a = DeviceGuid.intune("{1759C0FD-7B3C-4D2A-9F5E-0123456789AB}");
        DeviceGuid b = DeviceGuid.intune("1759c0fd7b3c4d2a9f5e0123456789ab");
        assertEquals(a, b);
        assertEquals("1759c0fd-7b3c-4d2a-9f5e-0123456789ab", a.canonical());
        assertThrows(InvalidIdentifierException.class, () -> DeviceGuid.intune("1759c0fd-7b3c-4d2a-9f5e"));
        assertThrows(InvalidIdentifierException.class, () -> DeviceGuid.entra("1759c0fd_7b3c_4d2a_9f5e_0123456789ab"));
        assertNull(DeviceGuid.tryParse(IdentifierKind.ENTRA_ID, "not-a-guid"));
    }

    @Test
    void guid_intuneAndEntraOfSameValue_areDifferentIdentifiers() {
        DeviceGuid intune = DeviceGuid.intune("1759c0fd-7b3c-4d2a-9f5e-0123456789ab");
        DeviceGuid entra = intune.as(IdentifierKind.ENTRA_ID);
        assertNotEquals(intune, entra);
        assertNotEquals(intune.indexKey(), entra.indexKey());
        assertEquals(intune.uuid(), entra.uuid());
    }

    @Test
    void parse_byKindName_dispatches() {
        assertEquals(MacAddress.parse("aabbccddeeff"), DeviceIdentifier.parse(IdentifierKind.fromName("mac"), "aa-bb-cc-dd-ee-ff"));
        assertEquals(IdentifierKind.INTUNE_ID, IdentifierKind.fromName("deviceId"));
        assertEquals(IdentifierKind.ENTRA_ID, IdentifierKind.fromName("entraId"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdentifierKind.fromName("phone"));
        assertTrue(e.getMessage().contains("expected mac"), e.getMessage());
    }

    @Test
    void candidates_dottedMac_isTheMacFirst() {
        java.util.List<DeviceIdentifier> c = Identifiers.candidates("aabb.ccdd.eeff", null);
        assertEquals(MacAddress.parse("AA:BB:CC:DD:EE:FF"), c.get(0));
    }

    @Test
    void candidates_guid_isIntuneThenEntra() {
        java.util.List<DeviceIdentifier> c = Identifiers.candidates("3f2504e0-4f89-11d3-9a0c-0305e82c3301", null);
        assertEquals(IdentifierKind.INTUNE_ID, c.get(0).kind());
        assertEquals(IdentifierKind.ENTRA_ID, c.get(1).kind());
    }

    @Test
    void candidates_gibberish_isRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Identifiers.candidates("not an id!", null));
        assertTrue(e.getMessage().contains("not an id!"));
    }
}
