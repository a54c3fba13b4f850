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

    /** An attribute's wire form as tinyradius 1.1.3 writes it: the reference the codec's own writer must match. */
    private static byte[] tinyradius(Attribute a) {
        org.tinyradius.attribute.RadiusAttribute attr = new org.tinyradius.attribute.RadiusAttribute(a.type(), a.value());
        if (!a.isVendor()) {
            return attr.writeAttribute();
        }
        attr.setVendorId(a.vendorId());
        org.tinyradius.attribute.VendorSpecificAttribute vsa =
                new org.tinyradius.attribute.VendorSpecificAttribute(a.vendorId());
        vsa.addSubAttribute(attr);
        return vsa.writeAttribute();
    }

    /** Header (code, id, length), Message-Authenticator placeholder, then each attribute as tinyradius writes it. */
    private static byte[] unsigned(int code, int id, List<Attribute> attributes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[20]);
        out.writeBytes(new byte[]{80, 18});
        out.writeBytes(new byte[16]);
        attributes.forEach(a -> out.writeBytes(tinyradius(a)));
        byte[] p = out.toByteArray();
        p[0] = (byte) code;
        p[1] = (byte) id;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        return p;
    }

    private static final List<Attribute> MIXED = List.of(Attribute.integer(AttributeType.TUNNEL_TYPE, 13),
            Attribute.vendorText(9, 1, "ACS:CiscoSecure-Defined-ACL=corp"), Attribute.of(25, new byte[253]),
            Attribute.vendor(311, 16, new byte[247]), Attribute.text(AttributeType.REPLY_MESSAGE, "é ok"));

    @Test
    void encode_reply_isTheBytesTinyradiusWroteSignedTheSameWay() {
        byte[] d = RequestBuilder.access(9).text(AttributeType.USER_NAME, "001122334401")
                .raw(AttributeType.PROXY_STATE, new byte[]{1, 2}).raw(AttributeType.PROXY_STATE, new byte[]{3})
                .build(SECRET);
        RadiusRequest request = decode(d);
        List<Attribute> all = new java.util.ArrayList<>(MIXED);
        all.addAll(request.all(AttributeType.PROXY_STATE));
        byte[] expected = unsigned(RadiusCode.ACCESS_ACCEPT, 9, all);
        RadiusCrypto.signResponse(SECRET, expected, request.authenticator(), 20);
        assertArrayEquals(expected, RadiusCodec.encode(new RadiusResponse(request, RadiusCode.ACCESS_ACCEPT, MIXED)));
    }

    @Test
    void encodeRequest_isTheBytesTinyradiusWroteSignedTheSameWay() {
        byte[] expected = unsigned(RadiusCode.COA_REQUEST, 200, MIXED);
        RadiusCrypto.signRequest(SECRET, expected, 20);
        assertArrayEquals(expected, RadiusCodec.encodeRequest(RadiusCode.COA_REQUEST, 200, MIXED, SECRET));

        byte[] authenticator = new byte[16];
        Arrays.fill(authenticator, (byte) 7);
        byte[] hidden = RadiusCrypto.encryptPap(SECRET, authenticator, "secret".getBytes(StandardCharsets.UTF_8));
        byte[] access = unsigned(RadiusCode.ACCESS_REQUEST, 5, List.of(Attribute.text(AttributeType.USER_NAME, "bob"),
                Attribute.of(AttributeType.USER_PASSWORD, hidden)));
        System.arraycopy(authenticator, 0, access, 4, 16);
        RadiusCrypto.signRequest(SECRET, access, 20);
        assertArrayEquals(access, RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, 5, authenticator,
                List.of(Attribute.text(AttributeType.USER_NAME, "bob"), Attribute.text(AttributeType.USER_PASSWORD,
                        "secret")), SECRET));
    }

    @Test
    void encode_replyOver4096WithTheProxyStates_isTooLarge() {
        RequestBuilder b = RequestBuilder.access(3);
        for (int i = 0; i < 16; i++) {
            b.raw(AttributeType.PROXY_STATE, new byte[250]);
        }
        RadiusRequest request = decode(b.build(SECRET));
        RadiusCodec.ReplyTooLargeException e = assertThrows(RadiusCodec.ReplyTooLargeException.class,
                () -> RadiusCodec.encode(new RadiusResponse(request, RadiusCode.ACCESS_ACCEPT, MIXED)));
        assertEquals("reply of 4633 bytes exceeds 4096 with the request's 16 Proxy-State attribute(s) copied",
                e.getMessage());
    }

    @Test
    void vendorLookups_matchVendorAndType_ciscoAvPairsInOrder() {
        RadiusRequest r = decode(RequestBuilder.access(1).vendorText(311, 11, "x").vendorText(9, 1, "a=1")
                .text(AttributeType.USER_NAME, "bob").vendorText(9, 1, "b=2").vendorText(9, 2, "c=3").build(SECRET));
        assertEquals(List.of(true, false, false), List.of(r.hasVendor(311, 11), r.hasVendor(311, 1), r.hasVendor(9, 11)));
        assertEquals(List.of("a=1", "b=2"), r.ciscoAvPairs());
        assertEquals("2", r.ciscoAvPair("b"));
        assertEquals(List.of(), decode(RequestBuilder.access(2).vendorText(311, 1, "a=1").build(SECRET)).ciscoAvPairs());
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
