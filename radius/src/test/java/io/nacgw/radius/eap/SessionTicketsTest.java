package io.nacgw.radius.eap;

import io.nacgw.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session-ticket codec ({@link SessionTickets}) and its keys ({@link TicketKeys}). */
final class SessionTicketsTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final byte[] ROOT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff"
            + "00112233445566778899aabbccddeeff");
    private static final byte[] MASTER = new byte[48];
    private static final List<byte[]> CHAIN = List.of(new byte[]{0x30, 1, 2, 3}, new byte[]{0x30, 9});

    static {
        Arrays.fill(MASTER, (byte) 0x5A);
    }

    @TempDir
    Path dir;

    private static MutableClock at(long millis) {
        return new MutableClock(Instant.ofEpochMilli(millis));
    }

    private static void advance(MutableClock clock, long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    private static SessionTickets tickets(byte[] root, MutableClock clock) {
        return new SessionTickets(TicketKeys.of(root, HOUR), HOUR, clock, new SecureRandom());
    }

    private static byte[] seal(SessionTickets t) {
        return t.seal(0x0303, 0xC02B, true, false, MASTER, CHAIN);
    }

    @Test
    void roundTrip_givesTheSessionBack() {
        MutableClock clock = at(10 * HOUR + 5);
        SessionTickets t = tickets(ROOT, clock);
        byte[] ticket = seal(t);
        SessionTickets.Opened o = t.open(ticket);
        assertNull(o.refusal());
        SessionTickets.State s = o.state();
        assertEquals(0x0303, s.version());
        assertEquals(0xC02B, s.cipherSuite());
        assertTrue(s.extendedMasterSecret());
        assertFalse(s.encryptThenMac());
        assertArrayEquals(MASTER, s.masterSecret());
        assertEquals(2, s.peerChain().size());
        assertArrayEquals(CHAIN.get(0), s.peerChain().get(0));
        assertArrayEquals(CHAIN.get(1), s.peerChain().get(1));
        assertEquals(clock.millis(), s.issuedMillis());
        assertEquals(1, t.issued());
        assertFalse(s.toString().contains("5a5a") || s.toString().contains("90, 90"), s.toString());
        assertFalse(Arrays.equals(Arrays.copyOfRange(ticket, 28, 28 + 48), MASTER), "the state is encrypted");
    }

    @Test
    void everyTamperedByte_isRefusedAsInvalidOrUnknownKey() {
        MutableClock clock = at(10 * HOUR);
        SessionTickets t = tickets(ROOT, clock);
        byte[] ticket = seal(t);
        for (int i = 0; i < ticket.length; i++) {
            byte[] bad = ticket.clone();
            bad[i] ^= 0x01;
            SessionTickets.Opened o = t.open(bad);
            assertNull(o.state(), "byte " + i);
            assertEquals(i < TicketKeys.NAME_BYTES ? SessionTickets.Refusal.UNKNOWN_KEY : SessionTickets.Refusal.INVALID,
                    o.refusal(), "byte " + i);
        }
        assertEquals(TicketKeys.NAME_BYTES, t.refused(SessionTickets.Refusal.UNKNOWN_KEY));
        assertEquals(ticket.length - TicketKeys.NAME_BYTES, t.refused(SessionTickets.Refusal.INVALID));
    }

    @Test
    void anotherRoot_isAnUnknownKey_andTheSameRootOpensAnotherGatewaysTicket() {
        MutableClock clock = at(10 * HOUR);
        byte[] ticket = seal(tickets(ROOT, clock));
        byte[] other = ROOT.clone();
        other[0] ^= 1;
        SessionTickets b = tickets(other, clock);
        assertEquals(SessionTickets.Refusal.UNKNOWN_KEY, b.open(ticket).refusal());
        assertEquals(1, b.refused(SessionTickets.Refusal.UNKNOWN_KEY));
        assertNotNull(tickets(ROOT, clock).open(ticket).state(), "a gateway with the same root opens it");
    }

    @Test
    void expired_isRefused_andTheLifetimeHolds() {
        MutableClock clock = at(10 * HOUR + 1000);
        SessionTickets t = tickets(ROOT, clock);
        byte[] ticket = seal(t);
        advance(clock, HOUR - 1);
        assertNotNull(t.open(ticket).state(), "valid until its lifetime ends");
        advance(clock, 1);
        assertEquals(SessionTickets.Refusal.EXPIRED, t.open(ticket).refusal());
        assertEquals(1, t.refused(SessionTickets.Refusal.EXPIRED));
    }

    @Test
    void ticketFromTheFuture_beyondTheSkew_isRefusedAsExpired() {
        MutableClock clock = at(10 * HOUR + 10 * 60_000);
        byte[] ticket = seal(tickets(ROOT, clock));
        advance(clock, -(SessionTickets.SKEW_MILLIS));
        assertNotNull(tickets(ROOT, clock).open(ticket).state(), "within the clock skew allowed");
        advance(clock, -(1));
        assertEquals(SessionTickets.Refusal.EXPIRED, tickets(ROOT, clock).open(ticket).refusal());
    }

    @Test
    void rotatedKey_stillOpensUntilItsTicketsEnd_thenIsUnknown() {
        MutableClock clock = at(11 * HOUR - 60_000); // a minute before the rotation
        SessionTickets t = tickets(ROOT, clock);
        byte[] before = seal(t);
        advance(clock, 120_000); // the next period: a new current key
        byte[] after = seal(t);
        assertFalse(Arrays.equals(Arrays.copyOf(before, 16), Arrays.copyOf(after, 16)), "the key rotated");
        assertNotNull(t.open(before).state(), "the previous key still opens its tickets");
        advance(clock, 11 * HOUR - 60_000 + HOUR - 1 - clock.millis());
        assertNotNull(t.open(before).state(), "until the ticket's lifetime ends");
        advance(clock, 12 * HOUR + 1 - clock.millis()); // two rotations later: the key is gone (its tickets have expired anyway)
        assertEquals(SessionTickets.Refusal.UNKNOWN_KEY, t.open(before).refusal());
        assertNotNull(t.open(after).state());
    }

    @Test
    void garbage_isRefusedAsInvalidOrUnknownKey_neverThrows() {
        MutableClock clock = at(10 * HOUR);
        SessionTickets t = tickets(ROOT, clock);
        Random r = new Random(7);
        for (int n : new int[]{0, 1, 16, 27, 44, 45, 100, 5000}) {
            byte[] g = new byte[n];
            r.nextBytes(g);
            SessionTickets.Opened o = t.open(g);
            assertNull(o.state());
            assertNotNull(o.refusal());
        }
        // the right key name on random content: the tag fails
        byte[] ticket = seal(t);
        byte[] g = new byte[200];
        r.nextBytes(g);
        System.arraycopy(ticket, 0, g, 0, TicketKeys.NAME_BYTES);
        assertEquals(SessionTickets.Refusal.INVALID, t.open(g).refusal());
        assertEquals(SessionTickets.Refusal.INVALID, t.open(Arrays.copyOf(ticket, ticket.length - 1)).refusal());
    }

    @Test
    void sessionTooLargeForATicket_isNotSealed_andCounted() {
        SessionTickets t = tickets(ROOT, at(HOUR));
        assertNull(t.seal(0x0303, 0xC02B, true, false, MASTER, List.of(new byte[70_000])));
        assertEquals(1, t.tooLarge());
        assertEquals(0, t.issued());
        assertTrue(t.seal(0x0303, 0xC02B, true, false, MASTER, List.of(new byte[60_000])).length
                <= SessionTickets.MAX_TICKET);
    }

    @Test
    void keyFile_ownerOnlyHex_sharesTheKeysWithAnotherLoad() throws Exception {
        Path f = keyFile(HexFormat.of().formatHex(ROOT) + "\n", "rw-------");
        TicketKeys a = TicketKeys.load(f, HOUR);
        TicketKeys b = TicketKeys.load(f, HOUR);
        assertArrayEquals(a.current(5 * HOUR).name(), b.current(5 * HOUR).name());
        assertArrayEquals(a.current(5 * HOUR).aes().getEncoded(), b.current(5 * HOUR).aes().getEncoded());
        assertArrayEquals(TicketKeys.of(ROOT, HOUR).current(5 * HOUR).aes().getEncoded(),
                a.current(5 * HOUR).aes().getEncoded());
        assertFalse(a.toString().contains(HexFormat.of().formatHex(ROOT)), a.toString());
        assertFalse(a.current(5 * HOUR).toString().contains("aes="), a.current(5 * HOUR).toString());
        TicketKeys random = TicketKeys.random(HOUR, new SecureRandom());
        assertFalse(Arrays.equals(random.current(5 * HOUR).name(), a.current(5 * HOUR).name()));
    }

    @Test
    void keyFile_readableByOthers_isRefusedNamingTheKey() throws Exception {
        Path f = keyFile(HexFormat.of().formatHex(ROOT), "rw-r--r--");
        String m = assertThrows(IllegalArgumentException.class, () -> TicketKeys.load(f, HOUR)).getMessage();
        assertTrue(m.contains("radius.eap.tls.ticketKeyFile") && m.contains("owner only") && m.contains("rw-r--r--"), m);
    }

    @Test
    void keyFile_malformedShortOrMissing_isRefusedNamingTheKey() throws Exception {
        String m = assertThrows(IllegalArgumentException.class,
                () -> TicketKeys.load(keyFile("not hex at all", "rw-------"), HOUR)).getMessage();
        assertTrue(m.contains("radius.eap.tls.ticketKeyFile") && m.contains("hex"), m);
        assertFalse(m.contains("not hex at all"), "the file's content is not echoed: " + m);
        m = assertThrows(IllegalArgumentException.class,
                () -> TicketKeys.load(keyFile("00112233", "rw-------"), HOUR)).getMessage();
        assertTrue(m.contains("radius.eap.tls.ticketKeyFile") && m.contains("at least 32"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> TicketKeys.load(dir.resolve("absent.key"), HOUR)).getMessage();
        assertTrue(m.contains("radius.eap.tls.ticketKeyFile") && m.contains("absent.key"), m);
    }

    private Path keyFile(String content, String perms) throws Exception {
        Path f = Files.createTempFile(dir, "ticket", ".key");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }
}
