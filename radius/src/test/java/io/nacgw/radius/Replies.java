package io.nacgw.radius;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCrypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads reply datagrams in tests, independently of the server's codec. */
public final class Replies {
    private Replies() {
    }

    /** Attributes in wire order; Vendor-Specific split into its sub-attributes. */
    public static List<Attribute> attributes(byte[] reply) {
        List<Attribute> out = new ArrayList<>();
        int len = RadiusCrypto.lengthField(reply);
        for (int pos = 20; pos < len; ) {
            int type = reply[pos] & 0xFF;
            int l = reply[pos + 1] & 0xFF;
            byte[] v = Arrays.copyOfRange(reply, pos + 2, pos + l);
            if (type == AttributeType.VENDOR_SPECIFIC) {
                int vendor = ((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
                for (int s = 4; s < v.length; ) {
                    int sl = v[s + 1] & 0xFF;
                    out.add(Attribute.vendor(vendor, v[s] & 0xFF, Arrays.copyOfRange(v, s + 2, s + sl)));
                    s += sl;
                }
            } else {
                out.add(Attribute.of(type, v));
            }
            pos += l;
        }
        return out;
    }

    /** The first standard attribute of a type, or null. */
    public static Attribute first(byte[] reply, int type) {
        return attributes(reply).stream().filter(a -> !a.isVendor() && a.type() == type).findFirst().orElse(null);
    }

    /** Asserts the Response Authenticator and the Message-Authenticator (which must be the first attribute). */
    public static void assertSigned(byte[] reply, byte[] requestAuthenticator, Secret secret, boolean withMa) {
        assertEquals(reply.length, RadiusCrypto.lengthField(reply), "length field");
        assertTrue(RadiusCrypto.verifyResponse(secret, reply, requestAuthenticator), "Response Authenticator");
        if (withMa) {
            assertEquals(AttributeType.MESSAGE_AUTHENTICATOR, reply[20] & 0xFF, "Message-Authenticator is first");
            byte[] withRequestAuth = reply.clone();
            System.arraycopy(requestAuthenticator, 0, withRequestAuth, 4, 16);
            assertTrue(RadiusCrypto.verifyMessageAuthenticator(secret, withRequestAuth, 20, false), "Message-Authenticator");
        }
    }
}
