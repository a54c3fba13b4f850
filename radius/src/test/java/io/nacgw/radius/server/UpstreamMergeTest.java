package io.nacgw.radius.server;

import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class UpstreamMergeTest {
    private static Attribute rawCisco(String pair) {
        byte[] text = pair.getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[6 + text.length];
        v[3] = 9;
        v[4] = 1;
        v[5] = (byte) (2 + text.length);
        System.arraycopy(text, 0, v, 6, text.length);
        return Attribute.of(AttributeType.VENDOR_SPECIFIC, v);
    }

    @Test
    void profileWins_classKeptFromBoth_restOfTheUpstreamKeptInOrder() {
        List<Attribute> upstream = List.of(
                Attribute.text(AttributeType.FILTER_ID, "upstream-acl"),
                Attribute.text(AttributeType.CLASS, "upstream-class"),
                Attribute.integer(AttributeType.SESSION_TIMEOUT, 7200),
                Attribute.text(AttributeType.REPLY_MESSAGE, "hello"),
                rawCisco("url-redirect=https://upstream/"),
                rawCisco("ip:inacl#1=permit ip any any"),
                Attribute.integer(AttributeType.FRAMED_IP_ADDRESS, 0x0a000001));
        List<Attribute> profile = List.of(
                Attribute.text(AttributeType.FILTER_ID, "corp-acl"),
                Attribute.text(AttributeType.CLASS, "nacgw:1"),
                Attribute.integer(AttributeType.SESSION_TIMEOUT, 3600),
                Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR, "url-redirect=https://nacgw/"));
        List<Attribute> merged = UpstreamMerge.accept(upstream, profile);
        assertEquals(List.of(
                Attribute.text(AttributeType.CLASS, "upstream-class"),
                Attribute.text(AttributeType.REPLY_MESSAGE, "hello"),
                rawCisco("ip:inacl#1=permit ip any any"),
                Attribute.integer(AttributeType.FRAMED_IP_ADDRESS, 0x0a000001),
                Attribute.text(AttributeType.FILTER_ID, "corp-acl"),
                Attribute.text(AttributeType.CLASS, "nacgw:1"),
                Attribute.integer(AttributeType.SESSION_TIMEOUT, 3600),
                Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR, "url-redirect=https://nacgw/")),
                merged);
    }

    @Test
    void eapFailure_carriesTheSuccessIdentifier_onlyForEap() {
        List<Attribute> eap = List.of(Attribute.of(AttributeType.EAP_MESSAGE, new byte[]{3, 42, 0, 4}));
        assertEquals(List.of(Attribute.of(AttributeType.EAP_MESSAGE, new byte[]{4, 42, 0, 4})),
                UpstreamMerge.eapFailureFor(eap));
        assertEquals(List.of(), UpstreamMerge.eapFailureFor(List.of(Attribute.text(AttributeType.CLASS, "x"))));
    }
}
