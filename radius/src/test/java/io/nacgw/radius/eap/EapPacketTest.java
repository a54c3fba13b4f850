package io.nacgw.radius.eap;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class EapPacketTest {
    @Test
    void encode_splitsInto253ByteAttributes_andParsesBack() throws Exception {
        byte[] data = new byte[600];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        EapPacket p = EapPacket.request(7, EapPacket.TLS, data);
        List<Attribute> attrs = p.attributes();
        assertEquals(3, attrs.size());
        assertEquals(253, attrs.get(0).length());
        assertEquals(605 - 506, attrs.get(2).length());
        EapPacket back = EapPacket.parse(p.encode());
        assertEquals(7, back.identifier());
        assertArrayEquals(data, back.data());
    }

    @Test
    void parse_rejectsBadLengthsAndCodes() {
        assertThrows(MalformedEapException.class, () -> EapPacket.parse(new byte[]{2, 1, 0, 4}));   // Response without type
        assertThrows(MalformedEapException.class, () -> EapPacket.parse(new byte[]{2, 1, 0, 6, 1})); // Length > bytes
        assertThrows(MalformedEapException.class, () -> EapPacket.parse(new byte[]{9, 1, 0, 4}));    // code 9
        assertThrows(MalformedEapException.class, () -> EapPacket.parse(new byte[]{4, 1, 0, 5, 0})); // Failure with body
    }

    @Test
    void mppeKeys_areSaltedDistinctAndDecryptToTheMsk() {
        byte[] msk = new byte[64];
        for (int i = 0; i < 64; i++) {
            msk[i] = (byte) (i * 3);
        }
        Secret secret = Secret.of("testing123");
        byte[] auth = new byte[16];
        auth[3] = 9;
        List<Attribute> keys = MppeKeys.attributes(msk, secret, auth);
        Attribute recv = keys.get(0);
        Attribute send = keys.get(1);
        assertEquals(MppeKeys.MS_MPPE_RECV_KEY, recv.type());
        assertEquals(MppeKeys.VENDOR_MICROSOFT, recv.vendorId());
        assertEquals(50, recv.length(), "2 salt + 48 (1 length + 32 key + padding)");
        assertEquals(0x80, recv.value()[0] & 0x80, "salt high bit set");
        assertArrayEquals(java.util.Arrays.copyOfRange(msk, 0, 32), MppeKeys.decrypt(recv.value(), secret, auth));
        assertArrayEquals(java.util.Arrays.copyOfRange(msk, 32, 64), MppeKeys.decrypt(send.value(), secret, auth));
        assertEquals(false, java.util.Arrays.equals(java.util.Arrays.copyOf(recv.value(), 2),
                java.util.Arrays.copyOf(send.value(), 2)), "salts differ within one packet");
    }
}
