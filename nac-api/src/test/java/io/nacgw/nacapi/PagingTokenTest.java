package io.nacgw.nacapi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

final class PagingTokenTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @Test
    void roundTrip_forTheSameQuery() {
        PagingToken t = new PagingToken(KEY);
        DeviceListing.Cursor c = new DeviceListing.Cursor(-5L, 77L);
        assertEquals(c, t.decode(t.encode(c, "q1"), "q1"));
    }

    @Test
    void tamperedForeignOrMisappliedTokens_areRejected() {
        PagingToken t = new PagingToken(KEY);
        String token = t.encode(new DeviceListing.Cursor(1L, 2L), "q1");
        assertNull(t.decode(token, "q2"));
        assertNull(new PagingToken("another key of 32 bytes........!".getBytes()).decode(token, "q1"));
        char[] c = token.toCharArray();
        c[0] = c[0] == 'A' ? 'B' : 'A';
        assertNull(t.decode(new String(c), "q1"));
        assertNull(t.decode("not base64 !", "q1"));
        assertNull(t.decode("", "q1"));
    }
}
