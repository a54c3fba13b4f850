package io.nacgw.radius.eap;

import io.nacgw.certs.RejectReason;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerProtocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The EAP-TLS layer of one conversation (RFC 5216 §2.1.5, RFC 9190): reassembles the peer's fragments (L and M
 * flags, each answered with an ACK), offers each complete flight to bctls's non-blocking
 * {@link TlsServerProtocol}, and sends its output in fragments of at most the negotiated size, the next one after
 * each ACK. In TLS 1.3 the server's commitment message (one application-data byte 0x00) follows the handshake.
 * Not thread-safe: its conversation runs one step at a time, on the TLS worker pool.
 */
final class TlsConversation {
    static final int FLAG_LENGTH = 0x80;
    static final int FLAG_MORE = 0x40;
    static final int FLAG_START = 0x20;
    /** The most TLS data a peer may send in one flight (a long client chain fits many times over). */
    static final int MAX_FLIGHT = 64 * 1024;

    /** What to answer after one EAP-TLS response. */
    record Step(Kind kind, byte[] typeData, String reason, String detail) {
        enum Kind { SEND, DONE, FAILED }

        static Step send(byte[] typeData) {
            return new Step(Kind.SEND, typeData, null, null);
        }

        static Step failed(String reason, String detail) {
            return new Step(Kind.FAILED, null, reason, detail);
        }
    }

    private final EapTlsPeer peer;
    private final TlsServerProtocol protocol;
    private final ByteArrayOutputStream in = new ByteArrayOutputStream();
    private int announced = -1;
    private byte[] out;
    private int outPos;
    private boolean committed;

    TlsConversation(TlsMaterial material) {
        this.peer = new EapTlsPeer(material);
        this.protocol = new TlsServerProtocol();
        try {
            protocol.accept(peer);
        } catch (IOException e) {
            throw new IllegalStateException("bctls refused to start a server handshake", e);
        }
    }

    /** The EAP-TLS Start request's type data. */
    static byte[] start() {
        return new byte[]{FLAG_START};
    }

    EapTlsPeer peer() {
        return peer;
    }

    /** Handles the type data of one EAP-TLS response; {@code fragmentLimit} bounds the TLS bytes sent back. */
    Step onResponse(byte[] data, int fragmentLimit) throws MalformedEapException {
        if (data.length < 1) {
            throw new MalformedEapException("EAP-TLS response without flags");
        }
        int flags = data[0] & 0xFF;
        int off = 1;
        if ((flags & FLAG_LENGTH) != 0) {
            if (data.length < 5) {
                throw new MalformedEapException("EAP-TLS L flag without a 4-byte length");
            }
            long total = ((data[1] & 0xFFL) << 24) | ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8) | (data[4] & 0xFF);
            if (total > MAX_FLIGHT) {
                return Step.failed("eap_tls_flight_too_long", "the peer announced a TLS flight of " + total + " bytes");
            }
            if (in.size() == 0) {
                announced = (int) total;
            }
            off = 5;
        }
        int payload = data.length - off;
        if (out != null && outPos < out.length) {
            if (payload != 0 || (flags & FLAG_MORE) != 0) {
                throw new MalformedEapException("EAP-TLS data while the server's fragments await ACKs");
            }
            return Step.send(nextFragment(fragmentLimit));
        }
        if (in.size() + payload > MAX_FLIGHT) {
            return Step.failed("eap_tls_flight_too_long", "the peer's fragments exceed " + MAX_FLIGHT + " bytes");
        }
        if (announced >= 0 && in.size() + payload > announced) {
            throw new MalformedEapException("EAP-TLS fragments exceed the announced length " + announced);
        }
        in.write(data, off, payload);
        if ((flags & FLAG_MORE) != 0) {
            if (payload == 0) {
                throw new MalformedEapException("EAP-TLS M flag on an empty fragment");
            }
            return Step.send(new byte[]{0}); // ACK: a request with no flags and no data
        }
        byte[] flight = in.toByteArray();
        in.reset();
        announced = -1;
        if (flight.length == 0) {
            return peer.complete() ? new Step(Step.Kind.DONE, null, null, null)
                    : Step.failed("eap_tls_unexpected_ack", "the peer acknowledged while the handshake was open");
        }
        if (peer.complete()) {
            return Step.failed("eap_tls_data_after_handshake", "the peer sent TLS data after the handshake");
        }
        try {
            protocol.offerInput(flight);
        } catch (TlsFatalAlertReceived e) {
            return Step.failed("tls_alert_from_peer", "the peer ended the handshake: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (peer.rejection() != null) {
                return rejected();
            }
            return Step.failed("tls_handshake_failed", String.valueOf(e.getMessage()));
        }
        if (peer.complete()) {
            if (peer.rejection() != null) {
                return rejected();
            }
            if (peer.tls13() && !committed) {
                try {
                    protocol.writeApplicationData(new byte[]{0}, 0, 1); // RFC 9190 §2.5 commitment message
                } catch (IOException e) {
                    return Step.failed("tls_handshake_failed", String.valueOf(e.getMessage()));
                }
                committed = true;
            }
        }
        int n = protocol.getAvailableOutputBytes();
        if (n > 0) {
            out = new byte[n];
            protocol.readOutput(out, 0, n);
            outPos = 0;
            return Step.send(nextFragment(fragmentLimit));
        }
        if (peer.complete()) {
            return new Step(Step.Kind.DONE, null, null, null);
        }
        return Step.failed("tls_incomplete_flight", "the peer's flight held no complete TLS handshake message");
    }

    private Step rejected() {
        RejectReason r = peer.rejection();
        return Step.failed(io.nacgw.certs.TlsFailures.certificateReason(r), peer.rejectionDetail());
    }

    /** The next fragment of {@link #out}: L and the total length on the first of several, M on all but the last. */
    private byte[] nextFragment(int limit) {
        int remaining = out.length - outPos;
        int chunk = Math.min(remaining, limit);
        boolean first = outPos == 0;
        boolean more = remaining > chunk;
        boolean withLength = first && more;
        byte[] d = new byte[1 + (withLength ? 4 : 0) + chunk];
        d[0] = (byte) ((withLength ? FLAG_LENGTH : 0) | (more ? FLAG_MORE : 0));
        int p = 1;
        if (withLength) {
            d[1] = (byte) (out.length >>> 24);
            d[2] = (byte) (out.length >>> 16);
            d[3] = (byte) (out.length >>> 8);
            d[4] = (byte) out.length;
            p = 5;
        }
        System.arraycopy(out, outPos, d, p, chunk);
        outPos += chunk;
        if (outPos == out.length) {
            Arrays.fill(out, (byte) 0);
        }
        return d;
    }

    /** The verified client chain once the handshake completed. */
    X509Certificate[] clientChain() {
        return peer.clientChain();
    }

    /** Ends the TLS state (keys wiped by bctls). */
    void close() {
        peer.wipe();
        try {
            protocol.close();
        } catch (IOException | RuntimeException e) {
            // closing a half-done handshake: nothing to send anywhere
        }
    }
}
