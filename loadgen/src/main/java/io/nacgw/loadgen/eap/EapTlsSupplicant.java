package io.nacgw.loadgen.eap;

import io.nacgw.loadgen.Targets;
import io.nacgw.loadgen.radius.RadiusAttribute;
import io.nacgw.loadgen.radius.RadiusCodec;
import io.nacgw.loadgen.radius.RadiusPacket;
import io.nacgw.loadgen.radius.ReplyError;
import io.nacgw.loadgen.radius.ReplyException;
import io.nacgw.tlsclient.DeviceTlsClient;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One supplicant-and-NAS on its own UDP socket: runs EAP-TLS conversations (RFC 3579 over RADIUS, RFC 5216 / RFC 9190
 * framing with L/M flags and ACKs) with bctls's non-blocking client, one at a time, blocking on its socket (a load
 * generator thread, never a server's). Every answer is checked: Response Authenticator and Message-Authenticator,
 * EAP-Success with an Accept, and the MS-MPPE keys against the client's own key derivation. Not thread-safe.
 */
final class EapTlsSupplicant implements AutoCloseable {
    static final int EAP_REQUEST = 1;
    static final int EAP_RESPONSE = 2;
    static final int EAP_SUCCESS = 3;
    static final int EAP_FAILURE = 4;
    static final int TYPE_IDENTITY = 1;
    static final int TYPE_TLS = 13;
    static final int FLAG_L = 0x80;
    static final int FLAG_M = 0x40;
    static final int FLAG_S = 0x20;
    static final int EAP_MESSAGE = 79;
    static final int STATE = 24;
    static final int FRAMED_MTU = 12;
    static final int VENDOR_MICROSOFT = 311;
    static final int MS_MPPE_SEND_KEY = 16;
    static final int MS_MPPE_RECV_KEY = 17;
    private static final int MAX_ROUNDS = 64;

    /** How one conversation ended. {@code error} null: the answer was as authentic as checked here. */
    record Outcome(boolean accepted, String vlan, boolean resumed, TlsSession session, ReplyError error, String detail,
                   int requests, int retransmissions) {
    }

    private final DatagramSocket socket;
    private final RadiusCodec codec;
    private final JcaTlsCrypto crypto;
    private final boolean tls13;
    private final boolean tickets;
    private final int fragmentSize;
    private final boolean messageAuthenticator;
    private final boolean requireReplyMa;
    private final int retries;
    private final SecureRandom random = new SecureRandom();
    private final byte[] receive = new byte[RadiusCodec.MAX_PACKET];
    private int id;

    EapTlsSupplicant(InetSocketAddress target, byte[] secret, JcaTlsCrypto crypto, boolean tls13, boolean tickets,
                     int fragmentSize, boolean messageAuthenticator, boolean requireReplyMa, int timeoutMillis, int retries)
            throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(target.getAddress().isLoopbackAddress()
                ? target.getAddress() : null, 0));
        this.socket.connect(target);
        this.socket.setSoTimeout(timeoutMillis);
        this.codec = new RadiusCodec(secret);
        this.crypto = crypto;
        this.tls13 = tls13;
        this.tickets = tickets;
        this.fragmentSize = fragmentSize;
        this.messageAuthenticator = messageAuthenticator;
        this.requireReplyMa = requireReplyMa;
        this.retries = retries;
        this.id = random.nextInt(256);
    }

    /**
     * Authenticates {@code device} once, resuming {@code resume} when given (TLS 1.2): by its session id, or, for a
     * {@link TicketSession}, by its ticket.
     */
    Outcome authenticate(EapTlsDevices.Device device, TlsSession resume, int nasPort) throws IOException {
        Client client = new Client(device, resume);
        TlsClientProtocol tls = new TlsClientProtocol();
        byte[] state = null;
        int sent = 0;
        int retransmitted = 0;
        byte[] identity = ("host/" + device.name()).getBytes(StandardCharsets.UTF_8);
        byte[] eap = eap(EAP_RESPONSE, 0, TYPE_IDENTITY, identity);
        byte[] out = null; // TLS bytes still to send
        int outAt = 0;
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                byte[] authenticator = new byte[16];
                random.nextBytes(authenticator);
                id = (id + 1) & 0xFF;
                byte[] packet = codec.accessRequest(id, authenticator, attributes(device, identity, eap, state, nasPort),
                        messageAuthenticator);
                Exchange x;
                try {
                    x = exchange(packet, authenticator);
                } catch (IOException e) {
                    throw new SocketProblem(e);
                }
                sent += 1 + x.retransmissions;
                retransmitted += x.retransmissions;
                if (x.reply == null) {
                    return new Outcome(false, null, false, null, x.error, x.detail, sent, retransmitted);
                }
                RadiusPacket reply = x.reply;
                byte[] answer = eapMessage(reply);
                if (reply.code() == RadiusCodec.ACCESS_ACCEPT || reply.code() == RadiusCodec.ACCESS_REJECT) {
                    boolean accept = reply.code() == RadiusCodec.ACCESS_ACCEPT;
                    int expectedCode = accept ? EAP_SUCCESS : EAP_FAILURE;
                    if (answer.length < 4 || (answer[0] & 0xFF) != expectedCode) {
                        return new Outcome(accept, reply.vlan(), false, null, ReplyError.EAP_PROTOCOL,
                                (accept ? "Access-Accept without EAP-Success" : "Access-Reject without EAP-Failure"),
                                sent, retransmitted);
                    }
                    if (!accept) {
                        return new Outcome(false, null, client.resumed(), null, null, reply.replyMessage(), sent, retransmitted);
                    }
                    if (client.msk == null) {
                        return new Outcome(true, reply.vlan(), false, null, ReplyError.EAP_PROTOCOL,
                                "Access-Accept before the TLS handshake finished", sent, retransmitted);
                    }
                    String keys = checkKeys(reply, client.msk, authenticator);
                    if (keys != null) {
                        return new Outcome(true, reply.vlan(), client.resumed(), null, ReplyError.MPPE_KEYS_MISMATCH, keys,
                                sent, retransmitted);
                    }
                    return new Outcome(true, reply.vlan(), client.resumed(), client.session, null, null, sent, retransmitted);
                }
                if (reply.code() != RadiusCodec.ACCESS_CHALLENGE) {
                    return new Outcome(false, null, false, null, ReplyError.UNEXPECTED_CODE, "code " + reply.code(),
                            sent, retransmitted);
                }
                RadiusAttribute st = reply.first(STATE);
                state = st == null ? null : st.value();
                if (answer.length < 6 || (answer[0] & 0xFF) != EAP_REQUEST || (answer[4] & 0xFF) != TYPE_TLS) {
                    return new Outcome(false, null, false, null, ReplyError.EAP_PROTOCOL,
                            "Access-Challenge without an EAP-TLS request", sent, retransmitted);
                }
                int eapId = answer[1] & 0xFF;
                int flags = answer[5] & 0xFF;
                int dataAt = 6 + ((flags & FLAG_L) != 0 ? 4 : 0);
                if (dataAt > answer.length) {
                    return new Outcome(false, null, false, null, ReplyError.EAP_PROTOCOL, "EAP-TLS length flag without length",
                            sent, retransmitted);
                }
                byte[] data = Arrays.copyOfRange(answer, dataAt, answer.length);
                if ((flags & FLAG_S) != 0) {
                    tls.connect(client);
                    out = drain(tls);
                    outAt = 0;
                } else if (out != null && outAt < out.length && data.length == 0) {
                    // the server's ACK of our last fragment: send the next one below
                } else {
                    in.write(data);
                    if ((flags & FLAG_M) != 0) {
                        eap = eap(EAP_RESPONSE, eapId, TYPE_TLS, new byte[]{0}); // ACK: more is coming
                        continue;
                    }
                    tls.offerInput(in.toByteArray());
                    in.reset();
                    int app = tls.getAvailableInputBytes();
                    if (app > 0) {
                        tls.readInput(new byte[app], 0, app); // TLS 1.3's commitment message
                    }
                    out = drain(tls);
                    outAt = 0;
                }
                if (out.length == 0) {
                    eap = eap(EAP_RESPONSE, eapId, TYPE_TLS, new byte[]{0}); // nothing to say: ACK
                    continue;
                }
                int n = Math.min(fragmentSize, out.length - outAt);
                boolean first = outAt == 0;
                boolean more = outAt + n < out.length;
                byte[] typeData;
                if (first && more) {
                    typeData = new byte[5 + n];
                    typeData[0] = (byte) (FLAG_L | FLAG_M);
                    typeData[1] = (byte) (out.length >>> 24);
                    typeData[2] = (byte) (out.length >>> 16);
                    typeData[3] = (byte) (out.length >>> 8);
                    typeData[4] = (byte) out.length;
                    System.arraycopy(out, outAt, typeData, 5, n);
                } else {
                    typeData = new byte[1 + n];
                    typeData[0] = (byte) (more ? FLAG_M : 0);
                    System.arraycopy(out, outAt, typeData, 1, n);
                }
                outAt += n;
                eap = eap(EAP_RESPONSE, eapId, TYPE_TLS, typeData);
            }
            return new Outcome(false, null, false, null, ReplyError.EAP_PROTOCOL, "more than " + MAX_ROUNDS + " rounds",
                    sent, retransmitted);
        } catch (SocketProblem e) {
            throw e.io;
        } catch (IOException e) {
            // a TLS alert from either side (bctls throws TlsFatalAlert), or a TLS record the client cannot read
            return new Outcome(false, null, false, null, ReplyError.EAP_PROTOCOL, "TLS: " + e.getMessage(), sent,
                    retransmitted);
        } finally {
            if (client.msk != null) {
                Arrays.fill(client.msk, (byte) 0);
            }
        }
    }

    private static byte[] drain(TlsClientProtocol tls) {
        int n = tls.getAvailableOutputBytes();
        byte[] b = new byte[n];
        if (n > 0) {
            tls.readOutput(b, 0, n);
        }
        return b;
    }

    /** A socket failure, kept apart from the TLS failures (IOExceptions too) while it leaves the conversation. */
    private static final class SocketProblem extends RuntimeException {
        final IOException io;

        SocketProblem(IOException io) {
            super(io.getMessage(), null, false, false);
            this.io = io;
        }
    }

    private record Exchange(RadiusPacket reply, int retransmissions, ReplyError error, String detail) {
    }

    /** Sends {@code packet} and waits for the authentic answer with its id, retransmitting on timeouts. */
    private Exchange exchange(byte[] packet, byte[] authenticator) throws IOException {
        DatagramPacket d = new DatagramPacket(receive, receive.length);
        for (int attempt = 0; attempt <= retries; attempt++) {
            try {
                socket.send(new DatagramPacket(packet, packet.length));
            } catch (java.net.PortUnreachableException e) {
                pause(socket.getSoTimeout());
                continue;
            }
            while (true) {
                try {
                    d.setLength(receive.length);
                    socket.receive(d);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (java.net.PortUnreachableException e) {
                    // nothing listens there (ICMP port unreachable): wait out the timeout like for a silent server
                    pause(socket.getSoTimeout());
                    break;
                }
                if (d.getLength() < RadiusCodec.HEADER || (receive[1] & 0xFF) != id) {
                    continue; // a late answer to an earlier request
                }
                try {
                    return new Exchange(codec.verifyResponse(receive, d.getLength(), authenticator, requireReplyMa),
                            attempt, null, null);
                } catch (ReplyException e) {
                    return new Exchange(null, attempt, e.error(), e.getMessage());
                }
            }
        }
        return new Exchange(null, retries, ReplyError.TIMEOUT, "no answer after " + retries + " retransmissions");
    }

    private static void pause(int millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private List<RadiusAttribute> attributes(EapTlsDevices.Device device, byte[] identity, byte[] eap, byte[] state,
                                             int nasPort) {
        List<RadiusAttribute> a = new ArrayList<>(12);
        a.add(new RadiusAttribute(RadiusCodec.USER_NAME, identity));
        a.add(RadiusAttribute.integer(RadiusCodec.SERVICE_TYPE, 2)); // Framed
        a.add(RadiusAttribute.text(RadiusCodec.CALLING_STATION_ID, Targets.rfc3580(device.mac())));
        a.add(RadiusAttribute.text(RadiusCodec.CALLED_STATION_ID, "00-00-5E-00-53-01:corp"));
        a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT_TYPE, 19)); // Wireless - IEEE 802.11
        a.add(RadiusAttribute.integer(FRAMED_MTU, 1400));
        a.add(new RadiusAttribute(RadiusCodec.NAS_IP_ADDRESS, new byte[]{127, 0, 0, 1}));
        a.add(RadiusAttribute.integer(RadiusCodec.NAS_PORT, nasPort));
        a.add(RadiusAttribute.text(RadiusCodec.NAS_IDENTIFIER, "nacgw-loadgen"));
        if (state != null) {
            a.add(new RadiusAttribute(STATE, state));
        }
        for (int at = 0; at < eap.length; at += 253) {
            a.add(new RadiusAttribute(EAP_MESSAGE, Arrays.copyOfRange(eap, at, Math.min(eap.length, at + 253))));
        }
        return a;
    }

    static byte[] eap(int code, int eapId, int type, byte[] typeData) {
        byte[] p = new byte[5 + typeData.length];
        p[0] = (byte) code;
        p[1] = (byte) eapId;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[4] = (byte) type;
        System.arraycopy(typeData, 0, p, 5, typeData.length);
        return p;
    }

    /** The EAP packet of an answer: its EAP-Message attributes concatenated, checked against the EAP length. */
    static byte[] eapMessage(RadiusPacket p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (RadiusAttribute a : p.all(EAP_MESSAGE)) {
            b.writeBytes(a.value());
        }
        byte[] eap = b.toByteArray();
        if (eap.length < 4 || (((eap[2] & 0xFF) << 8) | (eap[3] & 0xFF)) != eap.length) {
            return new byte[0];
        }
        return eap;
    }

    /** Null when MS-MPPE-Recv-Key and -Send-Key are MSK[0..32] and MSK[32..64]; else what is wrong. */
    private String checkKeys(RadiusPacket reply, byte[] msk, byte[] requestAuthenticator) {
        List<byte[]> recv = reply.vendor(VENDOR_MICROSOFT, MS_MPPE_RECV_KEY);
        List<byte[]> send = reply.vendor(VENDOR_MICROSOFT, MS_MPPE_SEND_KEY);
        if (recv.size() != 1 || send.size() != 1) {
            return "MS-MPPE-Recv-Key/Send-Key missing or repeated";
        }
        byte[] r = codec.decryptMppeKey(recv.get(0), requestAuthenticator);
        byte[] s = codec.decryptMppeKey(send.get(0), requestAuthenticator);
        if (r == null || s == null) {
            return "an MS-MPPE key does not decrypt (salt, length)";
        }
        if (!MessageDigest.isEqual(r, Arrays.copyOfRange(msk, 0, 32))) {
            return "MS-MPPE-Recv-Key differs from MSK[0..31]";
        }
        if (!MessageDigest.isEqual(s, Arrays.copyOfRange(msk, 32, 64))) {
            return "MS-MPPE-Send-Key differs from MSK[32..63]";
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }

    /**
     * A TLS 1.2 session resumed by a session ticket (RFC 5077): the ticket the server issued, and the session state
     * under a session id the client made up (§3.4: the server echoes it when it accepts the ticket). bctls's client
     * keeps no session after a ticket (it discards the server's session id), so the state is kept here.
     */
    static final class TicketSession implements TlsSession {
        private final TlsSession session;
        private final byte[] ticket;

        TicketSession(byte[] sessionId, SessionParameters state, byte[] ticket) {
            this.session = TlsUtils.importSession(sessionId, state);
            this.ticket = ticket.clone();
        }

        byte[] ticket() {
            return ticket.clone();
        }

        @Override
        public SessionParameters exportSessionParameters() {
            return session.exportSessionParameters();
        }

        @Override
        public byte[] getSessionID() {
            return session.getSessionID();
        }

        @Override
        public void invalidate() {
            session.invalidate();
        }

        @Override
        public boolean isResumable() {
            return session.isResumable();
        }
    }

    /**
     * The bctls client: the device's certificate, TLS 1.2 or 1.3, resumption (session id, or ticket when
     * {@link #tickets}), the MSK exported at completion.
     */
    private final class Client extends DeviceTlsClient {
        private final TlsSession resume;
        byte[] msk;
        TlsSession session;

        Client(EapTlsDevices.Device device, TlsSession resume) {
            super(crypto, device.certificate(), device.key(), tls13);
            this.resume = resume;
            resuming(resume);
            if (tickets && !tls13) {
                offeringTicket(resume instanceof TicketSession t ? t.ticket() : null);
            }
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            SecurityParameters sp = context.getSecurityParametersConnection();
            if (TlsUtils.isTLSv13(sp.getNegotiatedVersion())) {
                // RFC 9190 §2.3: TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", Type-Code 0x0D, 128)
                msk = context.exportKeyingMaterial("EXPORTER_EAP_TLS_Key_Material", new byte[]{TYPE_TLS}, 128);
            } else {
                // RFC 5216 §2.3: PRF(master secret, "client EAP encryption", client.random || server.random)
                byte[] seed = new byte[64];
                System.arraycopy(sp.getClientRandom(), 0, seed, 0, 32);
                System.arraycopy(sp.getServerRandom(), 0, seed, 32, 32);
                msk = TlsUtils.PRF(sp, sp.getMasterSecret(), "client EAP encryption", seed, 128).extract();
                TlsSession s = context.getSession();
                byte[] ticket = ticket();
                if (ticket != null && ticket.length > 0 && s != null) {
                    byte[] id = new byte[32];
                    random.nextBytes(id);
                    session = new TicketSession(id, s.exportSessionParameters(), ticket);
                } else if (resumed() && resume instanceof TicketSession) {
                    session = resume; // resumed by its ticket: the same ticket serves again (until it expires)
                } else {
                    session = s != null && s.isResumable() ? s : null;
                }
            }
        }
    }
}
