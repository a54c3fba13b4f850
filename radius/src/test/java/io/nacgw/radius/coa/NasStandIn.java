package io.nacgw.radius.coa;

import io.nacgw.radius.Replies;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A NAS in tests: receives CoA-Request and Disconnect-Request on a UDP port of 127.0.0.1, checks the Request
 * Authenticator (RFC 5176 §2.3) and Message-Authenticator with its secret, and answers as told: ACK, NAK with an
 * Error-Cause, or nothing. A request failing the checks gets no answer (as a real NAS with another secret).
 */
public final class NasStandIn implements AutoCloseable {
    /** One verified request as received. */
    public record Received(int code, int identifier, List<Attribute> attributes, long receivedNanos,
                           InetSocketAddress from) {
        /** The first standard attribute's text, or null. */
        public String text(int type) {
            return attributes.stream().filter(a -> !a.isVendor() && a.type() == type).findFirst()
                    .map(Attribute::asText).orElse(null);
        }

        /** Cisco-AVPair values in order. */
        public List<String> ciscoAvPairs() {
            return attributes.stream().filter(a -> a.vendorId() == AttributeType.VENDOR_CISCO
                    && a.type() == AttributeType.CISCO_AVPAIR).map(Attribute::asText).toList();
        }
    }

    /** How to answer: ACK, NAK (with an Error-Cause, or none when null), or no answer. */
    public record Answer(boolean ack, Integer errorCause, boolean silent) {
        public static final Answer ACK = new Answer(true, null, false);
        public static final Answer SILENT = new Answer(false, null, true);

        public static Answer nak(Integer cause) {
            return new Answer(false, cause, false);
        }
    }

    private final Secret secret;
    private final DatagramSocket socket;
    private final Thread thread;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger badAuthenticators = new AtomicInteger();
    private volatile Function<Received, Answer> behaviour = r -> Answer.ACK;

    public NasStandIn(String secret) throws SocketException {
        this.secret = Secret.of(secret);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(1 << 20); // a bulk's burst must not be lost in the test NAS's own socket
        this.thread = new Thread(this::run, "nas-stand-in-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** How to answer from now on. */
    public NasStandIn answering(Function<Received, Answer> b) {
        this.behaviour = b;
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Every verified request so far (retransmissions included), in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests dropped because an authenticator was wrong. */
    public int badAuthenticators() {
        return badAuthenticators.get();
    }

    /** Waits until {@code n} verified requests arrived (or fails after {@code seconds}). */
    public List<Received> await(int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (received.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("NAS stand-in got " + received.size() + " of " + n + " requests in " + seconds + " s");
            }
            Thread.sleep(5);
        }
        return received();
    }

    private void run() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket dp = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(dp);
            } catch (IOException closed) {
                return;
            }
            long at = System.nanoTime();
            byte[] d = Arrays.copyOf(dp.getData(), dp.getLength());
            int ma = RadiusCrypto.find(d, AttributeType.MESSAGE_AUTHENTICATOR);
            int code = d[0] & 0xFF;
            if ((code != RadiusCode.COA_REQUEST && code != RadiusCode.DISCONNECT_REQUEST)
                    || !RadiusCrypto.verifyAccountingRequest(secret, d) || ma < 0
                    || !RadiusCrypto.verifyMessageAuthenticator(secret, d, ma, true)) {
                badAuthenticators.incrementAndGet();
                continue;
            }
            Received r = new Received(code, d[1] & 0xFF, Replies.attributes(d), at,
                    (InetSocketAddress) dp.getSocketAddress());
            received.add(r);
            Answer a = behaviour.apply(r);
            if (a.silent()) {
                continue;
            }
            byte[] reply = signedReply(code + (a.ack() ? 1 : 2), d[1] & 0xFF, a.errorCause(), secret,
                    Arrays.copyOfRange(d, 4, 20));
            try {
                socket.send(new DatagramPacket(reply, reply.length, dp.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * A reply with Message-Authenticator first and, when {@code cause} is not null, an Error-Cause; signed with
     * {@code secret} for the request authenticator {@code requestAuthenticator}.
     */
    public static byte[] signedReply(int code, int id, Integer cause, Secret secret, byte[] requestAuthenticator) {
        ByteBuffer b = ByteBuffer.allocate(20 + 18 + (cause == null ? 0 : 6));
        b.put((byte) code).put((byte) id).putShort((short) b.capacity()).put(new byte[16]);
        b.put((byte) AttributeType.MESSAGE_AUTHENTICATOR).put((byte) 18).put(new byte[16]);
        if (cause != null) {
            b.put((byte) AttributeType.ERROR_CAUSE).put((byte) 6).putInt(cause);
        }
        byte[] reply = b.array();
        RadiusCrypto.signResponse(secret, reply, requestAuthenticator, 20);
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }

    @Override
    public String toString() {
        return "NasStandIn[127.0.0.1:" + port() + ", " + received.size() + " received]";
    }

    /** Convenience for assertions: the codes of everything received. */
    public List<Integer> codes() {
        List<Integer> out = new ArrayList<>();
        received.forEach(r -> out.add(r.code()));
        return out;
    }
}
