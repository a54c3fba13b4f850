package io.nacgw.radius.eap;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * MS-MPPE-Recv-Key and MS-MPPE-Send-Key (RFC 2548 §2.4.2-3, vendor 311) from an EAP MSK: Recv-Key is the MSK's
 * first 32 octets, Send-Key the next 32 (RFC 5216 §2.3), each salt-encrypted with the shared secret and the
 * request's authenticator. Without them the access point cannot start WPA2/WPA3-Enterprise.
 */
public final class MppeKeys {
    static final int VENDOR_MICROSOFT = 311;
    public static final int MS_MPPE_SEND_KEY = 16;
    public static final int MS_MPPE_RECV_KEY = 17;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MppeKeys() {
    }

    /** The two attributes for {@code msk} (at least 64 bytes). */
    public static List<Attribute> attributes(byte[] msk, Secret secret, byte[] requestAuthenticator) {
        if (msk.length < 64) {
            throw new IllegalArgumentException("MSK must be at least 64 bytes");
        }
        byte[] recv = java.util.Arrays.copyOfRange(msk, 0, 32);
        byte[] send = java.util.Arrays.copyOfRange(msk, 32, 64);
        int salt = RANDOM.nextInt(0x8000);
        // RFC 2548: the salt's high bit is set and every salt in one packet is unique
        int recvSalt = 0x8000 | salt;
        int sendSalt = 0x8000 | (salt ^ 1);
        return List.of(
                Attribute.vendor(VENDOR_MICROSOFT, MS_MPPE_RECV_KEY, encrypt(recv, recvSalt, secret, requestAuthenticator)),
                Attribute.vendor(VENDOR_MICROSOFT, MS_MPPE_SEND_KEY, encrypt(send, sendSalt, secret, requestAuthenticator)));
    }

    /** Salt (2 bytes) then the key-length-prefixed, zero-padded key XOR-ed with the MD5 stream. */
    static byte[] encrypt(byte[] key, int salt, Secret secret, byte[] requestAuthenticator) {
        int plainLength = (1 + key.length + 15) / 16 * 16;
        byte[] p = new byte[plainLength];
        p[0] = (byte) key.length;
        System.arraycopy(key, 0, p, 1, key.length);
        byte[] out = new byte[2 + plainLength];
        out[0] = (byte) (salt >>> 8);
        out[1] = (byte) salt;
        MessageDigest md5 = md5();
        secret.feed(md5);
        md5.update(requestAuthenticator);
        md5.update(out, 0, 2);
        for (int i = 0; i < plainLength; i += 16) {
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                out[2 + i + j] = (byte) (p[i + j] ^ b[j]);
            }
            secret.feed(md5);
            md5.update(out, 2 + i, 16);
        }
        java.util.Arrays.fill(p, (byte) 0);
        return out;
    }

    /**
     * An MS-MPPE key attribute value hidden for one leg (secret and request authenticator) re-hidden for another,
     * with a fresh salt: what a proxy does with the keys its home server sends (RFC 2548 §2.4.2); throws
     * {@link IllegalArgumentException} for a value that is not a salt and whole 16-byte blocks.
     */
    public static byte[] reencrypt(byte[] value, Secret from, byte[] fromAuthenticator, Secret to, byte[] toAuthenticator) {
        if (value.length < 18 || (value.length - 2) % 16 != 0 || (value[0] & 0x80) == 0) {
            throw new IllegalArgumentException("not a salt-encrypted MS-MPPE key");
        }
        byte[] plain = new byte[value.length - 2];
        decryptInto(value, from, fromAuthenticator, plain);
        int keyLength = plain[0] & 0xFF;
        if (keyLength > plain.length - 1) {
            java.util.Arrays.fill(plain, (byte) 0);
            throw new IllegalArgumentException("MS-MPPE key length does not fit its value (wrong secret?)");
        }
        byte[] key = java.util.Arrays.copyOfRange(plain, 1, 1 + keyLength);
        java.util.Arrays.fill(plain, (byte) 0);
        byte[] out = encrypt(key, 0x8000 | RANDOM.nextInt(0x8000), to, toAuthenticator);
        java.util.Arrays.fill(key, (byte) 0);
        return out;
    }

    private static void decryptInto(byte[] value, Secret secret, byte[] requestAuthenticator, byte[] p) {
        MessageDigest md5 = md5();
        secret.feed(md5);
        md5.update(requestAuthenticator);
        md5.update(value, 0, 2);
        for (int i = 0; i < p.length; i += 16) {
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                p[i + j] = (byte) (value[2 + i + j] ^ b[j]);
            }
            secret.feed(md5);
            md5.update(value, 2 + i, 16);
        }
    }

    /** The inverse of {@link #encrypt}, for tests and the load generator. */
    public static byte[] decrypt(byte[] value, Secret secret, byte[] requestAuthenticator) {
        byte[] p = new byte[value.length - 2];
        decryptInto(value, secret, requestAuthenticator, p);
        return java.util.Arrays.copyOfRange(p, 1, 1 + (p[0] & 0xFF));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
