package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every malformed or unauthenticated datagram is dropped and counted under its reason; the port keeps serving. */
final class MalformedPacketTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private TestWorld world;
    private Pipeline p;

    @BeforeEach
    void setUp() {
        world = new TestWorld();
        p = new Pipeline(world);
    }

    @AfterEach
    void tearDown() {
        p.close();
        world.close();
    }

    private static RequestBuilder mab() {
        return RequestBuilder.access(1)
                .text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .pap("001122334401");
    }

    private void assertDropped(byte[] datagram, DropReason reason) {
        long before = p.counters().drops(reason);
        assertNull(p.auth(datagram), "no reply");
        assertEquals(before + 1, p.counters().drops(reason), reason + " counted");
        assertNotNull(p.auth(mab().build(SECRET)), "a valid request is still answered afterwards");
    }

    @Test
    void decode_validMab_isAnswered() {
        assertNotNull(p.auth(mab().build(SECRET)));
        assertEquals(0, p.components.stats().totalDrops());
    }

    @Test
    void decode_unknownClient_isDroppedBeforeParsing() {
        long before = p.counters().drops(DropReason.UNKNOWN_CLIENT);
        // garbage that would fail every later check: the source lookup must reject it first
        assertNull(Pipeline.send(p.auth, new byte[]{0, 0, 0}, Pipeline.STRANGER));
        assertEquals(before + 1, p.counters().drops(DropReason.UNKNOWN_CLIENT));
        assertEquals(0, p.counters().drops(DropReason.MALFORMED));
    }

    @Test
    void decode_truncatedPacket_isDropped() {
        byte[] ok = mab().build(SECRET);
        assertDropped(Arrays.copyOf(ok, ok.length - 5), DropReason.MALFORMED);
    }

    @Test
    void decode_shorterThanHeader_isDropped() {
        assertDropped(new byte[]{1, 2, 0, 19}, DropReason.MALFORMED);
    }

    @Test
    void decode_lengthFieldBelowHeader_isDropped() {
        byte[] d = mab().build(SECRET);
        d[2] = 0;
        d[3] = 10;
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_attributeLengthZero_isDropped() {
        byte[] d = mab().messageAuthenticator(false).raw(AttributeType.NAS_IDENTIFIER, new byte[0]).build(SECRET);
        d[d.length - 1] = 0; // the last attribute claims length 0
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_attributeOverrunningPacket_isDropped() {
        byte[] d = mab().text(AttributeType.NAS_IDENTIFIER, "sw1").build(SECRET);
        d[d.length - 4] = 40; // NAS-Identifier claims 40 bytes; 5 remain
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_zeroLengthVendorSubAttribute_isDropped() {
        // the datagram that sends tinyradius 1.1.3 into an endless loop: a sub-attribute of length 0
        byte[] vsa = {0, 0, 0, 9, 1, 0, 0, 0};
        byte[] d = mab().raw(AttributeType.VENDOR_SPECIFIC, vsa).build(SECRET);
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_vendorSubAttributeOverrun_isDropped() {
        byte[] vsa = {0, 0, 0, 9, 1, 9, 'a', 'b'};
        assertDropped(mab().raw(AttributeType.VENDOR_SPECIFIC, vsa).build(SECRET), DropReason.MALFORMED);
    }

    @Test
    void decode_vendorSpecificShorterThanVendorId_isDropped() {
        assertDropped(mab().raw(AttributeType.VENDOR_SPECIFIC, new byte[]{0, 0, 9}).build(SECRET), DropReason.MALFORMED);
    }

    @Test
    void decode_duplicateUserPassword_isDropped() {
        byte[] d = mab().raw(AttributeType.USER_PASSWORD, new byte[16]).build(SECRET);
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_userPasswordNotMultipleOf16_isDropped() {
        byte[] d = RequestBuilder.access(1).text(AttributeType.USER_NAME, "001122334401")
                .raw(AttributeType.USER_PASSWORD, new byte[17]).build(SECRET);
        assertDropped(d, DropReason.MALFORMED);
    }

    @Test
    void decode_attributeTypeZero_isDropped() {
        assertDropped(mab().raw(0, new byte[]{1, 2}).build(SECRET), DropReason.MALFORMED);
    }

    @Test
    void decode_codeZero_isDropped() {
        assertDropped(RequestBuilder.code(0, 1).build(SECRET), DropReason.CODE_NOT_ALLOWED);
    }

    @Test
    void decode_accountingRequestOnAuthPort_isDropped() {
        assertDropped(RequestBuilder.accounting(1).integer(AttributeType.ACCT_STATUS_TYPE, 1).build(SECRET),
                DropReason.CODE_NOT_ALLOWED);
    }

    @Test
    void decode_accessAcceptSentToServer_isDropped() {
        assertDropped(RequestBuilder.code(RadiusCode.ACCESS_ACCEPT, 1).build(SECRET), DropReason.CODE_NOT_ALLOWED);
    }

    @Test
    void decode_oversizeDatagram_isDropped() {
        byte[] ok = mab().build(SECRET);
        assertDropped(Arrays.copyOf(ok, 5000), DropReason.OVERSIZE);
    }

    @Test
    void decode_paddingBeyondLengthField_isIgnored() {
        byte[] ok = mab().build(SECRET);
        assertNotNull(p.auth(Arrays.copyOf(ok, ok.length + 30)), "octets past Length are padding (RFC 2865 §3)");
    }

    @Test
    void authenticate_missingMessageAuthenticator_isDropped() {
        assertDropped(mab().messageAuthenticator(false).build(SECRET), DropReason.MISSING_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_wrongMessageAuthenticator_isDropped() {
        byte[] d = mab().build(SECRET);
        d[25] ^= 1; // inside the MA value
        assertDropped(d, DropReason.BAD_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_wrongSecret_isDropped() {
        assertDropped(mab().build(Secret.of("not-the-secret")), DropReason.BAD_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_tamperedAttributeUnderValidMa_isDropped() {
        byte[] d = mab().build(SECRET);
        d[d.length - 1] ^= 1; // a byte of the last attribute, MA unchanged
        assertDropped(d, DropReason.BAD_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_badAccountingRequestAuthenticator_isDropped() {
        byte[] d = RequestBuilder.accounting(3).integer(AttributeType.ACCT_STATUS_TYPE, 1)
                .text(AttributeType.ACCT_SESSION_ID, "s1").build(SECRET);
        d[7] ^= 1;
        long before = p.counters().drops(DropReason.BAD_REQUEST_AUTHENTICATOR);
        assertNull(p.acct(d));
        assertEquals(before + 1, p.counters().drops(DropReason.BAD_REQUEST_AUTHENTICATOR));
    }

    @Test
    void authenticate_statusServerWithoutMa_isDropped() {
        assertDropped(RequestBuilder.status(9).messageAuthenticator(false).build(SECRET),
                DropReason.MISSING_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_eapWithoutMaFromLenientClient_isDropped() {
        p.components.reload(io.nacgw.radius.NasRegistry.of(java.util.List.of(TestWorld.switchClient("192.0.2.0/24")
                .requireMessageAuthenticator(false).build())));
        byte[] d = RequestBuilder.access(4).messageAuthenticator(false).text(AttributeType.USER_NAME, "alice")
                .raw(AttributeType.EAP_MESSAGE, new byte[]{2, 1, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'}).build(SECRET);
        assertDropped(d, DropReason.MISSING_MESSAGE_AUTHENTICATOR);
    }

    @Test
    void authenticate_proxyStateWithoutMa_isDroppedWhenLimited() {
        p.components.reload(io.nacgw.radius.NasRegistry.of(java.util.List.of(TestWorld.switchClient("192.0.2.0/24")
                .requireMessageAuthenticator(false).limitProxyState(true).build())));
        assertNotNull(p.auth(mab().messageAuthenticator(false).build(SECRET)), "without Proxy-State it is accepted");
        assertDropped(mab().messageAuthenticator(false).raw(AttributeType.PROXY_STATE, new byte[]{1, 2, 3}).build(SECRET),
                DropReason.PROXY_STATE_WITHOUT_MESSAGE_AUTHENTICATOR);
    }
}
