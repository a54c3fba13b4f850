package io.nacgw.radius.codec;

import io.nacgw.core.secret.Secret;

import javax.crypto.Mac;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * RADIUS cryptography on raw packet bytes: Message-Authenticator (RFC 3579 §3.2), Request Authenticator of
 * Accounting-Request (RFC 2866 §3), Response Authenticator (RFC 2865 §3), PAP hiding (§5.2) and CHAP (§5.3).
 * Comparisons are constant-time. Thread-safe: digests are per thread.
 */
public final class RadiusCrypto {
    /** Offset of the authenticator in the header, and its length. */
    public static final int AUTH_OFFSET = 4;
    public static final int AUTH_LENGTH = 16;
    public static final int HEADER_LENGTH = 20;
    public static final int MAX_PACKET = 4096;
    private static final byte[] ZERO16 = new byte[16];
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    });

    private RadiusCrypto() {
    }

    private static MessageDigest md5() {
        MessageDigest md = MD5.get();
        md.reset();
        return md;
    }

    /** Unsigned 16-bit Length field. */
    public static int lengthField(byte[] packet) {
        return ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
    }

    /**
     * Offset of the first standard attribute of {@code type} in a structurally valid packet, or -1.
     */
    public static int find(byte[] packet, int type) {
        int end = lengthField(packet);
        for (int pos = HEADER_LENGTH; pos + 1 < end; ) {
            int len = packet[pos + 1] & 0xFF;
            if ((packet[pos] & 0xFF) == type) {
                return pos;
            }
            if (len < 2) {
                return -1;
            }
            pos += len;
        }
        return -1;
    }

    /**
     * True when the Message-Authenticator at {@code maOffset} is HMAC-MD5(secret) over the packet with the MA value
     * zeroed; {@code zeroAuthenticator} for Accounting-Request, whose MA is computed over a zero authenticator.
     */
    public static boolean verifyMessageAuthenticator(Secret secret, byte[] packet, int maOffset, boolean zeroAuthenticator) {
        int length = lengthField(packet);
        if (maOffset < HEADER_LENGTH || maOffset + 18 > length || length > packet.length) {
            return false;
        }
        // the HMAC over the packet as if the zeroed parts were zero, fed in pieces: no copy of the packet
        Mac mac = secret.hmacMd5();
        if (zeroAuthenticator) {
            mac.update(packet, 0, AUTH_OFFSET);
            mac.update(ZERO16);
            mac.update(packet, HEADER_LENGTH, maOffset + 2 - HEADER_LENGTH);
        } else {
            mac.update(packet, 0, maOffset + 2);
        }
        mac.update(ZERO16);
        mac.update(packet, maOffset + 18, length - maOffset - 18);
        return equalAt(mac.doFinal(), packet, maOffset + 2);
    }

    /** True when {@code packet} holds {@code expected} at {@code offset}; constant time in the bytes compared. */
    private static boolean equalAt(byte[] expected, byte[] packet, int offset) {
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ packet[offset + i];
        }
        return diff == 0;
    }

    /** True when an Accounting-Request's authenticator is MD5(Code|Id|Length|16 zero|Attributes|secret). */
    public static boolean verifyAccountingRequest(Secret secret, byte[] packet) {
        int len = lengthField(packet);
        MessageDigest md = md5();
        md.update(packet, 0, AUTH_OFFSET);
        md.update(ZERO16);
        md.update(packet, HEADER_LENGTH, len - HEADER_LENGTH);
        secret.feed(md);
        return MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(packet, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH));
    }

    /**
     * Signs a reply in place: puts the request authenticator in the header, fills the Message-Authenticator at
     * {@code maOffset} (or none when -1) and then the Response Authenticator over the final attributes, in that
     * order (the MA is computed with the request authenticator in the header).
     */
    public static void signResponse(Secret secret, byte[] packet, byte[] requestAuthenticator, int maOffset) {
        System.arraycopy(requestAuthenticator, 0, packet, AUTH_OFFSET, AUTH_LENGTH);
        if (maOffset >= 0) {
            Arrays.fill(packet, maOffset + 2, maOffset + 18, (byte) 0);
            Mac mac = secret.hmacMd5();
            mac.update(packet);
            System.arraycopy(mac.doFinal(), 0, packet, maOffset + 2, 16);
        }
        MessageDigest md = md5();
        md.update(packet);
        secret.feed(md);
        System.arraycopy(md.digest(), 0, packet, AUTH_OFFSET, AUTH_LENGTH);
    }

    /**
     * Signs a request in place: Accounting-, CoA- and Disconnect-Request (RFC 2866 §3, RFC 5176 §2.3) get the
     * Message-Authenticator over a zero authenticator (when {@code maOffset >= 0}) and then their Request
     * Authenticator, MD5(Code|Id|Length|16 zero|Attributes|secret); Access-Request and Status-Server keep their
     * random authenticator and get the MA over it.
     */
    public static void signRequest(Secret secret, byte[] packet, int maOffset) {
        boolean zeroBased = hasComputedRequestAuthenticator(packet[0] & 0xFF);
        if (zeroBased) {
            Arrays.fill(packet, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH, (byte) 0);
        }
        if (maOffset >= 0) {
            Arrays.fill(packet, maOffset + 2, maOffset + 18, (byte) 0);
            Mac mac = secret.hmacMd5();
            mac.update(packet);
            System.arraycopy(mac.doFinal(), 0, packet, maOffset + 2, 16);
        }
        if (zeroBased) {
            MessageDigest md = md5();
            md.update(packet);
            secret.feed(md);
            System.arraycopy(md.digest(), 0, packet, AUTH_OFFSET, AUTH_LENGTH);
        }
    }

    /** True for the request codes whose authenticator is computed over a zero authenticator (not random). */
    static boolean hasComputedRequestAuthenticator(int code) {
        return code == RadiusCode.ACCOUNTING_REQUEST || code == RadiusCode.COA_REQUEST
                || code == RadiusCode.DISCONNECT_REQUEST;
    }

    /**
     * True when a reply's Message-Authenticator at {@code maOffset} is HMAC-MD5(secret) over the reply with the
     * request's authenticator in the header and the MA value zeroed (RFC 3579 §3.2, RFC 5176 §3.4).
     */
    public static boolean verifyReplyMessageAuthenticator(Secret secret, byte[] reply, int maOffset,
                                                          byte[] requestAuthenticator) {
        byte[] copy = reply.clone();
        System.arraycopy(requestAuthenticator, 0, copy, AUTH_OFFSET, AUTH_LENGTH);
        Arrays.fill(copy, maOffset + 2, maOffset + 18, (byte) 0);
        Mac mac = secret.hmacMd5();
        mac.update(copy, 0, lengthField(copy));
        return MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(reply, maOffset + 2, maOffset + 18));
    }

    /** True when a reply's Response Authenticator is right for the request (for clients and tests). */
    public static boolean verifyResponse(Secret secret, byte[] reply, byte[] requestAuthenticator) {
        byte[] copy = reply.clone();
        System.arraycopy(requestAuthenticator, 0, copy, AUTH_OFFSET, AUTH_LENGTH);
        MessageDigest md = md5();
        md.update(copy, 0, lengthField(copy));
        secret.feed(md);
        return MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(reply, AUTH_OFFSET, AUTH_OFFSET + AUTH_LENGTH));
    }

    /**
     * Recovers a PAP password (RFC 2865 §5.2) from its hidden form (a multiple of 16 bytes), trailing NULs removed.
     */
    public static byte[] decryptPap(Secret secret, byte[] requestAuthenticator, byte[] hidden) {
        if (hidden.length == 0 || hidden.length % 16 != 0) {
            throw new IllegalArgumentException("a hidden User-Password is a multiple of 16 bytes");
        }
        byte[] out = new byte[hidden.length];
        byte[] prev = requestAuthenticator;
        for (int i = 0; i < hidden.length; i += 16) {
            MessageDigest md = md5();
            secret.feed(md);
            md.update(prev, 0, 16);
            byte[] b = md.digest();
            for (int j = 0; j < 16; j++) {
                out[i + j] = (byte) (hidden[i + j] ^ b[j]);
            }
            prev = Arrays.copyOfRange(hidden, i, i + 16);
        }
        int n = out.length;
        while (n > 0 && out[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(out, n);
    }

    /** Hides a PAP password (RFC 2865 §5.2), for clients and tests. */
    public static byte[] encryptPap(Secret secret, byte[] requestAuthenticator, byte[] password) {
        int n = Math.max(16, (password.length + 15) / 16 * 16);
        byte[] p = Arrays.copyOf(password, n);
        byte[] out = new byte[n];
        byte[] prev = requestAuthenticator;
        for (int i = 0; i < n; i += 16) {
            MessageDigest md = md5();
            secret.feed(md);
            md.update(prev, 0, 16);
            byte[] b = md.digest();
            for (int j = 0; j < 16; j++) {
                out[i + j] = (byte) (p[i + j] ^ b[j]);
            }
            prev = Arrays.copyOfRange(out, i, i + 16);
        }
        return out;
    }

    /**
     * True when {@code chapPassword} (CHAP ident + 16-byte response) is MD5(ident|password|challenge) for
     * {@code password}; the challenge is CHAP-Challenge or else the Request Authenticator.
     */
    public static boolean verifyChap(byte[] chapPassword, byte[] challenge, byte[] password) {
        if (chapPassword.length != 17) {
            return false;
        }
        MessageDigest md = md5();
        md.update(chapPassword[0]);
        md.update(password);
        md.update(challenge);
        return MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(chapPassword, 1, 17));
    }

    /** The CHAP-Password value for {@code ident} and {@code password} over {@code challenge}, for tests. */
    public static byte[] chapPassword(int ident, byte[] challenge, byte[] password) {
        MessageDigest md = md5();
        md.update((byte) ident);
        md.update(password);
        md.update(challenge);
        byte[] out = new byte[17];
        out[0] = (byte) ident;
        System.arraycopy(md.digest(), 0, out, 1, 16);
        return out;
    }
}
