package io.nacgw.radius;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A RADIUS shared secret. Its bytes never leave this class except into a digest or MAC, and {@link #toString()}
 * never prints them, so a secret cannot reach a log by accident.
 */
public final class Secret {
    private final byte[] bytes;
    /** One keyed HMAC per thread: keying costs more than an HMAC of a small packet, and Mac is not thread-safe. */
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The secret as configured (UTF-8), 1 to 128 bytes; RFC 2865 wants at least 16 for real deployments. */
    public static Secret of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a shared secret must not be empty");
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > 128) {
            throw new IllegalArgumentException("a shared secret must be at most 128 bytes");
        }
        return new Secret(b);
    }

    /** Number of bytes, for validation messages. */
    public int length() {
        return bytes.length;
    }

    /** Appends the secret to a digest (Response/Request Authenticator, PAP, CHAP key streams). */
    public void feed(MessageDigest md) {
        md.update(bytes);
    }

    /**
     * HMAC-MD5 keyed with this secret (Message-Authenticator), reset and confined to the calling thread: use it
     * at once, never hand it to another thread.
     */
    public Mac hmacMd5() {
        Mac m = mac.get();
        m.reset();
        return m;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(bytes, "HmacMD5"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is not available", e);
        }
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && MessageDigest.isEqual(bytes, ((Secret) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
