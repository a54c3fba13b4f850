package io.nacgw.radius.eap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The keys that seal TLS 1.2 session tickets (RFC 5077 §4), derived from one root secret: time is cut into periods
 * of the ticket lifetime, and period {@code p} has its own AES-256 key and 16-byte key name, both HMAC-SHA256 of
 * the root and {@code p}. Tickets are sealed with the current period's key; the previous period's key still opens
 * them (a ticket issued just before a rotation stays valid for its whole lifetime), older ones do not. Gateways
 * sharing the root ({@code radius.eap.tls.ticketKeyFile}) derive the same keys at the same time, so a ticket from
 * one resumes on another; without the file the root is random and lives as long as the process. Immutable; the
 * root never leaves this class, and {@link #toString} names no secret.
 */
final class TicketKeys {
    /** Bytes of the AES-256 key and of the key name. */
    static final int KEY_BYTES = 32;
    static final int NAME_BYTES = 16;
    /** The fewest root bytes a key file must hold. */
    static final int MIN_ROOT_BYTES = 32;
    private static final byte[] KEY_LABEL = "nacgw eap-tls ticket key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME_LABEL = "nacgw eap-tls ticket name".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** One period's key: its name (sent in clear at the head of each ticket) and its AES key. */
    record Key(long period, byte[] name, SecretKeySpec aes) {
        @Override
        public String toString() {
            return "TicketKeys.Key[period=" + period + "]";
        }
    }

    private final byte[] root;
    private final long periodMillis;
    private final String origin;
    /** The keys of one period and of the one before, derived once per period (a race derives them twice, harmless). */
    private volatile Key[] derived = new Key[0];

    private TicketKeys(byte[] root, long periodMillis, String origin) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("the ticket key period must be positive, got " + periodMillis + " ms");
        }
        this.root = root.clone();
        this.periodMillis = periodMillis;
        this.origin = origin;
    }

    /** Keys from a random root of this process alone (tickets resume only on this gateway, until it restarts). */
    static TicketKeys random(long periodMillis, SecureRandom random) {
        byte[] root = new byte[MIN_ROOT_BYTES];
        random.nextBytes(root);
        return new TicketKeys(root, periodMillis, "random");
    }

    /** Keys from {@code root} (tests). */
    static TicketKeys of(byte[] root, long periodMillis) {
        return new TicketKeys(root, periodMillis, "given");
    }

    /**
     * Keys from the root in {@code file} ({@code radius.eap.tls.ticketKeyFile}): at least 32 bytes written as hex on
     * one line ({@code openssl rand -hex 32}), the file readable by its owner only. Throws
     * {@link IllegalArgumentException} naming the key and the file when it cannot be used.
     */
    static TicketKeys load(Path file, long periodMillis) {
        String key = "radius.eap.tls.ticketKeyFile " + file;
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                if (perms.stream().anyMatch(OTHERS::contains)) {
                    throw new IllegalArgumentException(key + " must be readable by its owner only (chmod 600), it is "
                            + PosixFilePermissions.toString(perms));
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            byte[] root;
            try {
                root = HexFormat.of().parseHex(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must hold one line of hex digits (openssl rand -hex 32)");
            }
            if (root.length < MIN_ROOT_BYTES) {
                Arrays.fill(root, (byte) 0);
                throw new IllegalArgumentException(key + " must hold at least " + MIN_ROOT_BYTES
                        + " random bytes as hex (openssl rand -hex 32), it holds " + root.length);
            }
            TicketKeys k = new TicketKeys(root, periodMillis, "file " + file);
            Arrays.fill(root, (byte) 0);
            return k;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Where the root came from ({@code random}, or the file), for the start-up log. */
    String origin() {
        return origin;
    }

    long periodMillis() {
        return periodMillis;
    }

    /** The key that seals tickets at {@code nowMillis}. */
    Key current(long nowMillis) {
        return keys(nowMillis)[0];
    }

    /** The key named {@code name} if it is the current or the previous period's at {@code nowMillis}, else null. */
    Key forName(byte[] name, long nowMillis) {
        for (Key k : keys(nowMillis)) {
            if (MessageDigest.isEqual(k.name(), name)) {
                return k;
            }
        }
        return null;
    }

    /** The current and the previous period's keys at {@code nowMillis}. */
    private Key[] keys(long nowMillis) {
        long p = Math.floorDiv(nowMillis, periodMillis);
        Key[] k = derived;
        if (k.length == 0 || k[0].period() != p) {
            k = new Key[]{key(p), key(p - 1)};
            derived = k;
        }
        return k;
    }

    private Key key(long period) {
        byte[] aes = derive(KEY_LABEL, period);
        byte[] name = Arrays.copyOf(derive(NAME_LABEL, period), NAME_BYTES);
        Key k = new Key(period, name, new SecretKeySpec(aes, "AES"));
        Arrays.fill(aes, (byte) 0);
        return k;
    }

    private byte[] derive(byte[] label, long period) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(root, "HmacSHA256"));
            mac.update(label);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(period).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TicketKeys[" + origin + ", period " + periodMillis + " ms]";
    }
}
