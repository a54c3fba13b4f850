package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusAttribute;
import io.nacgw.loadgen.radius.RadiusCodec;
import io.nacgw.loadgen.radius.RadiusPacket;
import io.nacgw.loadgen.radius.ReplyException;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double RADIUS server on 127.0.0.1:0 that answers from the synthetic truth: it checks each request the way a
 * strict server would (Message-Authenticator, MAB password = MAC) and stays silent on a bad one, then answers per
 * {@link Expectations}, or misbehaves in one chosen way so the tests can see the load generator catch it.
 */
public final class FakeRadiusServer implements AutoCloseable {
    public enum Fault { NONE, FLIP_VERDICT, BAD_RESPONSE_AUTHENTICATOR, NO_MESSAGE_AUTHENTICATOR, MESSAGE_AUTHENTICATOR_LAST,
        DROP_ALL, DROP_FIRST_TRANSMISSION, MALFORMED, CHALLENGE, STALL_ONCE, DUPLICATE_LATE,
        /** Every answer followed at once by {@link #FLOOD_COPIES} copies of itself: more than a small buffer holds. */
        FLOOD,
        /** Every answer sent 100-1,000 ms late, as by a server whose queue holds seconds of requests. */
        ANSWER_LATE }

    static final int FLOOD_COPIES = 200;

    private final DatagramSocket socket;
    private final RadiusCodec codec;
    private final Map<Long, TargetClass> truth = new HashMap<>();
    private final Expectations answers;
    private final Fault fault;
    private final Thread thread;
    final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();
    public final AtomicInteger received = new AtomicInteger();
    public final AtomicInteger badRequests = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;
    private final java.util.Random lateness = new java.util.Random(4711);
    private final java.util.concurrent.ScheduledExecutorService later =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fake-radius-late");
                t.setDaemon(true);
                return t;
            });

    public FakeRadiusServer(byte[] secret, SyntheticDevices devices, Expectations answers, Fault fault) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setReceiveBufferSize(4 << 20);
        this.codec = new RadiusCodec(secret);
        for (int i = 0; i < devices.count(); i++) {
            truth.put(Targets.toLong(devices.primaryMac(i)), TargetClass.of(devices.classOf(i)));
        }
        this.answers = answers;
        this.fault = fault;
        this.thread = new Thread(this::serve, "fake-radius");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                received.incrementAndGet();
                sourcePorts.add(in.getPort());
                byte[] out = answer(Arrays.copyOf(in.getData(), in.getLength()));
                if (out != null) {
                    java.net.SocketAddress to = in.getSocketAddress();
                    if (fault == Fault.ANSWER_LATE) {
                        later.schedule(() -> {
                            socket.send(new DatagramPacket(out, out.length, to));
                            return null;
                        }, 100 + lateness.nextInt(900), java.util.concurrent.TimeUnit.MILLISECONDS);
                        continue;
                    }
                    socket.send(new DatagramPacket(out, out.length, to));
                    for (int i = 0; fault == Fault.FLOOD && i < FLOOD_COPIES; i++) {
                        socket.send(new DatagramPacket(out, out.length, to));
                    }
                    if (fault == Fault.DUPLICATE_LATE) {
                        later.schedule(() -> {
                            socket.send(new DatagramPacket(out, out.length, to));
                            return null;
                        }, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
            } catch (IOException e) {
                return; // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private byte[] answer(byte[] req) throws InterruptedException {
        RadiusPacket p;
        try {
            p = RadiusCodec.decode(req, req.length);
        } catch (ReplyException e) {
            badRequests.incrementAndGet();
            return null;
        }
        if (p.first(RadiusCodec.MESSAGE_AUTHENTICATOR) != null) {
            if (!codec.requestMessageAuthenticatorValid(req, req.length)
                    || p.attributes().get(0).type() != RadiusCodec.MESSAGE_AUTHENTICATOR) {
                badRequests.incrementAndGet();
                return null;
            }
        }
        Long mac = mac(p);
        if (mac == null) {
            badRequests.incrementAndGet();
            return null;
        }
        switch (fault) {
            case DROP_ALL:
                return null;
            case DROP_FIRST_TRANSMISSION:
                if (seen.add(p.id() + HexKey.of(p.authenticator()))) {
                    return null;
                }
                break;
            case STALL_ONCE:
                if (!stalled) {
                    stalled = true;
                    Thread.sleep(300);
                }
                break;
            default:
        }
        TargetClass cls = truth.getOrDefault(mac, TargetClass.UNKNOWN);
        Expected e = answers.of(cls);
        if (fault == Fault.FLIP_VERDICT) {
            e = e.accept() ? Expected.REJECT : Expected.acceptVlan("100");
        }
        List<RadiusAttribute> attrs = new ArrayList<>();
        int code;
        if (e.accept()) {
            code = RadiusCodec.ACCESS_ACCEPT;
            attrs.add(RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_TYPE, 0, 13));
            attrs.add(RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_MEDIUM_TYPE, 0, 6));
            if (e.vlan() != null) {
                attrs.add(RadiusAttribute.taggedText(RadiusCodec.TUNNEL_PRIVATE_GROUP_ID, 0, e.vlan()));
            }
            attrs.add(RadiusAttribute.text(RadiusCodec.CLASS, "nacgw:test"));
        } else {
            code = RadiusCodec.ACCESS_REJECT;
            attrs.add(RadiusAttribute.text(RadiusCodec.REPLY_MESSAGE, "Device not allowed"));
        }
        if (fault == Fault.CHALLENGE) {
            code = RadiusCodec.ACCESS_CHALLENGE;
        }
        boolean ma = fault != Fault.NO_MESSAGE_AUTHENTICATOR && fault != Fault.MESSAGE_AUTHENTICATOR_LAST;
        if (fault == Fault.MESSAGE_AUTHENTICATOR_LAST) {
            attrs.add(new RadiusAttribute(RadiusCodec.MESSAGE_AUTHENTICATOR, new byte[16]));
        }
        byte[] out = codec.response(code, p.id(), p.authenticator(), attrs, ma);
        if (fault == Fault.BAD_RESPONSE_AUTHENTICATOR) {
            out[4] ^= 0x55;
        } else if (fault == Fault.MALFORMED) {
            out[3] = (byte) (out[3] + 7); // length field beyond the datagram
        }
        return out;
    }

    /**
     * The MAC a request is about: MAB User-Name (whose PAP password must equal it), a user login's Calling-Station-Id
     * (password {@link RequestShape#LOGIN_PASSWORD}), or Cisco mdm-tlv=device-mac.
     */
    private Long mac(RadiusPacket p) {
        RadiusAttribute pw = p.first(RadiusCodec.USER_PASSWORD);
        if (pw != null) {
            String user = p.first(RadiusCodec.USER_NAME).asText();
            String plain = new String(codec.unhidePassword(pw.value(), p.authenticator()), StandardCharsets.US_ASCII);
            if (plain.equals(RequestShape.LOGIN_PASSWORD) && p.first(RadiusCodec.CALLING_STATION_ID) != null) {
                return Long.parseLong(p.first(RadiusCodec.CALLING_STATION_ID).asText().replace("-", ""), 16);
            }
            if (!plain.equals(user)) {
                return null;
            }
            return Long.parseLong(user, 16);
        }
        for (String av : p.vendorText(RadiusCodec.VENDOR_CISCO, RadiusCodec.CISCO_AVPAIR)) {
            if (av.startsWith("mdm-tlv=device-mac=")) {
                return Long.parseLong(av.substring(19).replace("-", ""), 16);
            }
        }
        return null;
    }

    /** Hex of a byte array, for the seen-set key. */
    private static final class HexKey {
        static String of(byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
    }

    @Override
    public void close() throws InterruptedException {
        later.shutdownNow();
        socket.close();
        thread.join(2000);
    }
}
