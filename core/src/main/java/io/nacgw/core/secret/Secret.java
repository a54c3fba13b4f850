package io.nacgw.core.secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * A secret (RADIUS shared secret, OAuth2 client secret, key-store password) that never reaches a log by accident:
 * {@link #toString()} is masked, {@link #equals} compares in constant time, and the bytes leave only into a digest,
 * a MAC or, through {@link #reveal()}, the one protocol field that carries them.
 */
public final class Secret {
    private final byte[] bytes;
    /** One keyed HMAC per thread: keying costs more than an HMAC of a small packet, and Mac is not thread-safe. */
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The secret as given (UTF-8); empty is refused. */
    public static Secret of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #of(String)}, refusing more than {@code maxBytes} UTF-8 bytes; {@code what} names it in messages. */
    public static Secret of(String text, String what, int maxBytes) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            throw new IllegalArgumentException(what + " must be at most " + maxBytes + " bytes");
        }
        return new Secret(b);
    }

    /** Reads a secret from a file (UTF-8, surrounding whitespace and the trailing newline stripped). */
    public static Secret fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("the secret file " + file + " is empty");
        }
        return of(text.strip());
    }

    /** Reads a secret from the environment variable {@code name} (surrounding whitespace stripped). */
    public static Secret fromEnv(String name) {
        return fromEnv(name, System.getenv());
    }

    /** As {@link #fromEnv(String)} over a given environment (for tests). */
    public static Secret fromEnv(String name, Map<String, String> env) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + name + " holding the secret is not set");
        }
        return of(v.strip());
    }

    /** Number of bytes, for validation messages. */
    public int length() {
        return bytes.length;
    }

    /** Appends the secret to a digest (RADIUS authenticators, PAP and CHAP key streams). */
    public void feed(MessageDigest md) {
        md.update(bytes);
    }

    /**
     * HMAC-MD5 keyed with this secret (RADIUS Message-Authenticator), reset and confined to the calling thread: use
     * it at once, never hand it to another thread.
     */
    public Mac hmacMd5() {
        Mac m = mac.get();
        m.reset();
        return m;
    }

    /** The secret as text, only for the protocol field that carries it (a token request, a key-store password). */
    public String reveal() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The secret as characters, for an API that takes a password as {@code char[]} (a key store): a fresh array the
     * caller owns and wipes ({@code Arrays.fill(chars, '\0')}) after use; no String copy of the secret is made.
     */
    public char[] revealChars() {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        if (decoded.hasArray()) {
            Arrays.fill(decoded.array(), '\0');
        }
        return chars;
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacMD5");
            m.init(new SecretKeySpec(bytes, "HmacMD5"));
            return m;
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
