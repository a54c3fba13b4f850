package io.nacgw.radius.eap;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stateless TLS 1.2 session tickets (RFC 5077): the session's state sealed with AES-256-GCM under a
 * {@link TicketKeys} key, so the gateway keeps nothing and any gateway holding the key can resume. A ticket is
 * {@code key name (16) | nonce (12) | AES-GCM(state) with its 16-byte tag}, the key name also authenticated. The
 * state: format, issue time, TLS version, cipher suite, extended-master-secret and encrypt-then-MAC flags, the
 * master secret and the client's certificate chain (resumption verifies it again, as for session ids). A ticket
 * older than the lifetime, sealed with a key that is neither current nor previous, altered, or malformed is
 * refused and counted by reason; the handshake is then a full one. Thread-safe.
 */
final class SessionTickets {
    /** Why a presented ticket was not used. */
    enum Refusal {
        /** sealed with a key this gateway does not hold (rotated out, another gateway's, or made up) */
        UNKNOWN_KEY,
        /** the tag did not verify, or the state inside does not parse */
        INVALID,
        /** older than the lifetime, or issued in the future beyond the clock skew allowed */
        EXPIRED;

        /** The metric label. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A session's state as sealed in a ticket. {@code masterSecret} is secret: {@link #toString} leaves it out and
     * {@link #wipe} overwrites it.
     */
    record State(long issuedMillis, int version, int cipherSuite, boolean extendedMasterSecret,
                 boolean encryptThenMac, byte[] masterSecret, List<byte[]> peerChain) {
        @Override
        public String toString() {
            return "SessionTickets.State[issued=" + issuedMillis + ", version=0x" + Integer.toHexString(version)
                    + ", cipherSuite=0x" + Integer.toHexString(cipherSuite) + ", ems=" + extendedMasterSecret
                    + ", etm=" + encryptThenMac + ", certificates=" + peerChain.size() + "]";
        }

        void wipe() {
            Arrays.fill(masterSecret, (byte) 0);
        }
    }

    /** What opening a ticket gave: the state, or why there is none. */
    record Opened(State state, Refusal refusal) {
    }

    /** The largest ticket (the NewSessionTicket's 16-bit length). */
    static final int MAX_TICKET = 65_535;
    /** How far in the future a ticket's issue time may be (another gateway's clock running ahead). */
    static final long SKEW_MILLIS = 60_000;
    private static final int FORMAT = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = TicketKeys.NAME_BYTES + NONCE + TAG_BITS / 8;

    private final TicketKeys keys;
    private final long lifetimeMillis;
    private final Clock clock;
    private final SecureRandom random;
    private final LongAdder issued = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder[] refused = new LongAdder[Refusal.values().length];

    SessionTickets(TicketKeys keys, long lifetimeMillis, Clock clock, SecureRandom random) {
        this.keys = keys;
        this.lifetimeMillis = lifetimeMillis;
        this.clock = clock;
        this.random = random;
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
    }

    /** The ticket lifetime hint sent with each ticket, in seconds. */
    long lifetimeSeconds() {
        return lifetimeMillis / 1000;
    }

    /**
     * The ticket sealing {@code s} (its issue time is taken as now), or null when it would exceed {@link #MAX_TICKET}
     * (a client chain of nearly 64 KiB; counted in {@link #tooLarge}).
     */
    byte[] seal(int version, int cipherSuite, boolean ems, boolean etm, byte[] masterSecret, List<byte[]> chain) {
        long now = clock.millis();
        int size = 1 + 8 + 2 + 2 + 1 + 1 + masterSecret.length + 1;
        for (byte[] c : chain) {
            size += 3 + c.length;
        }
        if (size + OVERHEAD > MAX_TICKET || chain.size() > 255 || masterSecret.length > 255) {
            tooLarge.increment();
            return null;
        }
        ByteBuffer plain = ByteBuffer.allocate(size);
        plain.put((byte) FORMAT).putLong(now).putShort((short) version).putShort((short) cipherSuite)
                .put((byte) ((ems ? 1 : 0) | (etm ? 2 : 0))).put((byte) masterSecret.length).put(masterSecret)
                .put((byte) chain.size());
        for (byte[] c : chain) {
            plain.put((byte) (c.length >>> 16)).put((byte) (c.length >>> 8)).put((byte) c.length).put(c);
        }
        TicketKeys.Key key = keys.current(now);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] ticket = new byte[OVERHEAD + size];
        System.arraycopy(key.name(), 0, ticket, 0, TicketKeys.NAME_BYTES);
        System.arraycopy(nonce, 0, ticket, TicketKeys.NAME_BYTES, NONCE);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(key.name());
            gcm.doFinal(plain.array(), 0, size, ticket, TicketKeys.NAME_BYTES + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a session ticket", e);
        } finally {
            Arrays.fill(plain.array(), (byte) 0);
        }
        issued.increment();
        return ticket;
    }

    /** Opens {@code ticket}: its state, or the refusal (counted). Never throws. */
    Opened open(byte[] ticket) {
        long now = clock.millis();
        if (ticket.length < OVERHEAD + 1) {
            return refuse(Refusal.INVALID);
        }
        TicketKeys.Key key = keys.forName(Arrays.copyOf(ticket, TicketKeys.NAME_BYTES), now);
        if (key == null) {
            return refuse(Refusal.UNKNOWN_KEY);
        }
        byte[] plain;
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key.aes(),
                    new GCMParameterSpec(TAG_BITS, ticket, TicketKeys.NAME_BYTES, NONCE));
            gcm.updateAAD(ticket, 0, TicketKeys.NAME_BYTES);
            plain = gcm.doFinal(ticket, TicketKeys.NAME_BYTES + NONCE, ticket.length - TicketKeys.NAME_BYTES - NONCE);
        } catch (AEADBadTagException e) {
            return refuse(Refusal.INVALID);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open a session ticket", e);
        }
        State s;
        try {
            s = parse(ByteBuffer.wrap(plain));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            s = null;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        if (s == null) {
            return refuse(Refusal.INVALID);
        }
        if (now - s.issuedMillis() >= lifetimeMillis || s.issuedMillis() - now > SKEW_MILLIS) {
            s.wipe();
            return refuse(Refusal.EXPIRED);
        }
        return new Opened(s, null);
    }

    /** The state in {@code b}, or null when its format is not ours or bytes remain after it. */
    private static State parse(ByteBuffer b) {
        if (b.get() != FORMAT) {
            return null;
        }
        long issuedAt = b.getLong();
        int version = b.getShort() & 0xFFFF;
        int suite = b.getShort() & 0xFFFF;
        int flags = b.get() & 0xFF;
        byte[] master = new byte[b.get() & 0xFF];
        b.get(master);
        int n = b.get() & 0xFF;
        List<byte[]> chain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
            byte[] der = new byte[len];
            b.get(der);
            chain.add(der);
        }
        if (b.hasRemaining() || master.length == 0 || chain.isEmpty() || (flags & ~3) != 0) {
            Arrays.fill(master, (byte) 0);
            return null;
        }
        return new State(issuedAt, version, suite, (flags & 1) != 0, (flags & 2) != 0, master, chain);
    }

    private Opened refuse(Refusal r) {
        refused[r.ordinal()].increment();
        return new Opened(null, r);
    }

    /** Tickets issued. */
    long issued() {
        return issued.sum();
    }

    /** Tickets presented and refused for {@code r}. */
    long refused(Refusal r) {
        return refused[r.ordinal()].sum();
    }

    /** Sessions whose state would not fit a ticket (an empty ticket was sent instead). */
    long tooLarge() {
        return tooLarge.sum();
    }

    TicketKeys keys() {
        return keys;
    }
}
