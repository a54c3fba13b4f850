package io.nacgw.nacapi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The opaque {@code paging_info} of the ISE API: the last device id of the page (a keyset cursor, so devices
 * added or removed between pages cause neither repeats nor skips of the others) authenticated with an HMAC that
 * also covers the query, so a token can be neither forged nor replayed against another query.
 */
final class PagingToken {
    private static final int MAC_BYTES = 16;
    private final SecretKeySpec key;

    PagingToken(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("ise.pagingKey must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A token resuming {@code query} after {@code after}. */
    String encode(DeviceListing.Cursor after, String query) {
        ByteBuffer b = ByteBuffer.allocate(16 + MAC_BYTES);
        b.putLong(after.msb()).putLong(after.lsb());
        b.put(mac(after, query));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The cursor in {@code token}, or null when it is malformed, forged or for another query. */
    DeviceListing.Cursor decode(String token, String query) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != 16 + MAC_BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        DeviceListing.Cursor c = new DeviceListing.Cursor(b.getLong(), b.getLong());
        byte[] given = new byte[MAC_BYTES];
        b.get(given);
        return MessageDigest.isEqual(given, mac(c, query)) ? c : null;
    }

    private byte[] mac(DeviceListing.Cursor c, String query) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(ByteBuffer.allocate(16).putLong(c.msb()).putLong(c.lsb()).array());
            m.update(query.getBytes(StandardCharsets.UTF_8));
            byte[] full = m.doFinal();
            byte[] out = new byte[MAC_BYTES];
            System.arraycopy(full, 0, out, 0, MAC_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
