package io.nacgw.radius.codec;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Decoding verified request bytes into {@link RadiusRequest}: straight from the bytes, sizes per the dictionary. */
final class RadiusCodecTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private static final InetSocketAddress NAS = new InetSocketAddress("192.0.2.10", 40000);

    private static RadiusRequest decode(byte[] d) {
        return RadiusCodec.decode(new InboundPacket(NAS, d, TestWorld.switchClient("192.0.2.0/24").build(), SECRET, 1L));
    }

    @Test
    void decode_mab_headerAndAttributesInOrder_vendorSubAttributesFlattenedInPlace() {
        RequestBuilder b = RequestBuilder.access(42).text(AttributeType.USER_NAME, "001122334401")
                .integer(AttributeType.NAS_PORT, 50110)
                .vendorText(9, 1, "audit-session-id=A1").vendorText(9, 1, "method=mab")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01");
        byte[] d = b.build(SECRET);
        RadiusRequest r = decode(d);
        assertEquals(List.of(RadiusCode.ACCESS_REQUEST, 42), List.of(r.code(), r.identifier()));
        assertArrayEquals(Arrays.copyOfRange(d, 4, 20), r.authenticator());
        List<String> seen = r.attributes().stream().map(a -> a.vendorId() + "/" + a.type() + "=" + (a.isPrintable()
                ? a.asText() : a.length() + " bytes")).toList();
        assertEquals(List.of("0/80=16 bytes", "0/1=001122334401", "0/5=4 bytes", "9/1=audit-session-id=A1",
                "9/1=method=mab", "0/31=00-11-22-33-44-01"), seen, "Message-Authenticator first, then request order");
        assertEquals(50110, r.integer(AttributeType.NAS_PORT));
    }

    @Test
    void decode_valuesAreCopies_notViewsOfTheDatagram() {
        byte[] d = RequestBuilder.access(1).text(AttributeType.USER_NAME, "alice").build(SECRET);
        RadiusRequest r = decode(d);
        Arrays.fill(d, 20, d.length, (byte) 0);
        assertEquals("alice", r.text(AttributeType.USER_NAME));
    }

    @Test
    void decode_integerOrAddressOfTheWrongSize_isRejected() {
        // tinyradius's typed attributes refused these; the NAS-Port a handler reads must be 4 bytes
        assertThrows(IllegalArgumentException.class, () -> decode(RequestBuilder.access(1)
                .raw(AttributeType.NAS_PORT, new byte[]{0, 1, 2}).build(SECRET)));
        assertThrows(IllegalArgumentException.class, () -> decode(RequestBuilder.accounting(1)
                .raw(AttributeType.FRAMED_IP_ADDRESS, new byte[]{10, 1, 2}).build(SECRET)));
        assertEquals(3, decode(RequestBuilder.access(1).raw(AttributeType.USER_NAME, new byte[]{0, 1, 2})
                .build(SECRET)).first(AttributeType.USER_NAME).length(), "a string takes any size");
    }

    @Test
    void decode_vendorIntegerOfTheWrongSize_isRejected_unknownVendorTakesAnySize() {
        // WISPr (14122) Bandwidth-Min-Up (5) is an integer in the dictionary
        assertThrows(IllegalArgumentException.class, () -> decode(RequestBuilder.access(1)
                .vendorText(14122, 5, "abc").build(SECRET)));
        RadiusRequest r = decode(RequestBuilder.access(1).vendorText(64_999, 7, "abc").build(SECRET));
        assertEquals("abc", new String(r.attributes().get(1).value(), StandardCharsets.UTF_8));
    }

    @Test
    void attributes_truncatedAttribute_isRejected() {
        byte[] d = RequestBuilder.access(1).text(AttributeType.USER_NAME, "alice").build(SECRET);
        d[RadiusCrypto.HEADER_LENGTH + 18 + 1] = 40; // User-Name (after Message-Authenticator) now runs past the end
        assertThrows(IllegalArgumentException.class, () -> RadiusCodec.attributes(d));
    }
}
