package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusCodec;

import java.util.Arrays;

/**
 * A {@link RequestShape#MAB} Access-Request encoded once and patched per request: every MAB request of a run has the
 * same layout (the MAC is always 12 hex digits, its RFC 3580 form 17 characters), so only the identifier, Request
 * Authenticator, User-Name, User-Password, Calling-Station-Id, NAS-Port and Message-Authenticator change. Encoding each
 * request from an attribute list (strings, lists, one array per attribute) cost the generator more CPU than the
 * cryptography; this produces the same bytes as {@link RadiusCodec#accessRequest} (MabTemplateTest checks it).
 * Not thread-safe: the codec is not; one per source port.
 */
final class MabTemplate {
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final RadiusCodec codec;
    private final byte[] template;
    private final int userName;
    private final int password;
    private final int passwordLength;
    private final int callingStationId;
    private final int nasPort;
    private final int messageAuthenticator;

    MabTemplate(RadiusCodec codec, boolean messageAuthenticator) {
        this.codec = codec;
        this.template = codec.accessRequest(0, new byte[16], RequestShape.MAB.attributes(0, "", 0), messageAuthenticator);
        int user = -1;
        int pw = -1;
        int pwLength = 0;
        int calling = -1;
        int port = -1;
        int ma = -1;
        for (int o = RadiusCodec.HEADER; o < template.length; o += template[o + 1] & 0xFF) {
            int type = template[o] & 0xFF;
            if (type == RadiusCodec.USER_NAME) {
                user = o + 2;
            } else if (type == RadiusCodec.USER_PASSWORD) {
                pw = o + 2;
                pwLength = (template[o + 1] & 0xFF) - 2;
            } else if (type == RadiusCodec.CALLING_STATION_ID) {
                calling = o + 2;
            } else if (type == RadiusCodec.NAS_PORT) {
                port = o + 2;
            } else if (type == RadiusCodec.MESSAGE_AUTHENTICATOR) {
                ma = o;
            }
        }
        if (user < 0 || pw < 0 || calling < 0 || port < 0 || messageAuthenticator != (ma >= 0)) {
            throw new IllegalStateException("the MAB shape lost an attribute the template patches");
        }
        this.userName = user;
        this.password = pw;
        this.passwordLength = pwLength;
        this.callingStationId = calling;
        this.nasPort = port;
        this.messageAuthenticator = ma;
    }

    /** The request for {@code mac} on {@code nasPort}: a new array, as {@link RadiusCodec#accessRequest} returns. */
    byte[] encode(int id, byte[] authenticator, long mac, int nasPort) {
        byte[] p = Arrays.copyOf(template, template.length);
        for (int i = 0; i < 12; i++) {
            int nibble = (int) (mac >>> (44 - 4 * i)) & 0xF;
            p[userName + i] = HEX_LOWER[nibble];
            p[password + i] = HEX_LOWER[nibble];
            p[callingStationId + i + i / 2] = HEX_UPPER[nibble]; // the template keeps the dashes
        }
        Arrays.fill(p, password + 12, password + passwordLength, (byte) 0);
        p[this.nasPort] = (byte) (nasPort >>> 24);
        p[this.nasPort + 1] = (byte) (nasPort >>> 16);
        p[this.nasPort + 2] = (byte) (nasPort >>> 8);
        p[this.nasPort + 3] = (byte) nasPort;
        codec.finishAccessRequest(p, id, authenticator, password, passwordLength, messageAuthenticator);
        return p;
    }
}
