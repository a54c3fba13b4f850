package io.nacgw.radius;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Builds request datagrams byte by byte, as a NAS would, for tests. */
public final class RequestBuilder {
    private final int code;
    private final int id;
    private final byte[] authenticator = new byte[16];
    private final ByteArrayOutputStream attrs = new ByteArrayOutputStream();
    private boolean messageAuthenticator;
    private String papPassword;
    private String chapPassword;

    private RequestBuilder(int code, int id) {
        this.code = code;
        this.id = id;
        ThreadLocalRandom.current().nextBytes(authenticator);
        messageAuthenticator = code != RadiusCode.ACCOUNTING_REQUEST;
    }

    public static RequestBuilder access(int id) {
        return new RequestBuilder(RadiusCode.ACCESS_REQUEST, id);
    }

    public static RequestBuilder accounting(int id) {
        return new RequestBuilder(RadiusCode.ACCOUNTING_REQUEST, id);
    }

    public static RequestBuilder status(int id) {
        return new RequestBuilder(RadiusCode.STATUS_SERVER, id);
    }

    /** Any code, for negative tests. */
    public static RequestBuilder code(int code, int id) {
        return new RequestBuilder(code, id);
    }

    public RequestBuilder messageAuthenticator(boolean on) {
        messageAuthenticator = on;
        return this;
    }

    public RequestBuilder authenticator(byte[] a) {
        System.arraycopy(a, 0, authenticator, 0, 16);
        return this;
    }

    public RequestBuilder raw(int type, byte[] value) {
        attrs.write(type);
        attrs.write(value.length + 2);
        attrs.writeBytes(value);
        return this;
    }

    public RequestBuilder text(int type, String value) {
        return raw(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public RequestBuilder integer(int type, int value) {
        return raw(type, new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public RequestBuilder vendorText(int vendorId, int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] vsa = new byte[6 + v.length];
        vsa[0] = (byte) (vendorId >>> 24);
        vsa[1] = (byte) (vendorId >>> 16);
        vsa[2] = (byte) (vendorId >>> 8);
        vsa[3] = (byte) vendorId;
        vsa[4] = (byte) type;
        vsa[5] = (byte) (v.length + 2);
        System.arraycopy(v, 0, vsa, 6, v.length);
        return raw(AttributeType.VENDOR_SPECIFIC, vsa);
    }

    /** User-Password, hidden with the secret at build time. */
    public RequestBuilder pap(String password) {
        papPassword = password;
        return this;
    }

    /** CHAP-Password over the Request Authenticator, computed at build time. */
    public RequestBuilder chap(String password) {
        chapPassword = password;
        return this;
    }

    /** The Request Authenticator (for Access-Request/Status-Server; accounting's is computed by build). */
    public byte[] authenticator() {
        return authenticator.clone();
    }

    /** The signed datagram. */
    public byte[] build(Secret secret) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[20]);
        int ma = -1;
        if (messageAuthenticator) {
            ma = 20;
            out.write(AttributeType.MESSAGE_AUTHENTICATOR);
            out.write(18);
            out.writeBytes(new byte[16]);
        }
        if (papPassword != null) {
            byte[] hidden = RadiusCrypto.encryptPap(secret, authenticator, papPassword.getBytes(StandardCharsets.UTF_8));
            out.write(AttributeType.USER_PASSWORD);
            out.write(hidden.length + 2);
            out.writeBytes(hidden);
        }
        if (chapPassword != null) {
            byte[] chap = RadiusCrypto.chapPassword(7, authenticator, chapPassword.getBytes(StandardCharsets.UTF_8));
            out.write(AttributeType.CHAP_PASSWORD);
            out.write(19);
            out.writeBytes(chap);
        }
        out.writeBytes(attrs.toByteArray());
        byte[] p = out.toByteArray();
        p[0] = (byte) code;
        p[1] = (byte) id;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        System.arraycopy(authenticator, 0, p, 4, 16);
        RadiusCrypto.signRequest(secret, p, ma);
        return p;
    }
}
