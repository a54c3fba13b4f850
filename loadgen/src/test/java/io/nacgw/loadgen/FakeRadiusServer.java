package io.nacgw.loadgen;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
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
    private final FakeRadiusAnswers answers;
    private final Fault fault;
    private final Thread thread;
    final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();
    public final AtomicInteger received = new AtomicInteger();
    public final AtomicInteger badRequests;
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
        this.answers = new FakeRadiusAnswers(secret, devices, answers, fault);
        this.badRequests = this.answers.badRequests;
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
                byte[] out = answers.answer(Arrays.copyOf(in.getData(), in.getLength()));
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

    @Override
    public void close() throws InterruptedException {
        later.shutdownNow();
        socket.close();
        thread.join(2000);
    }
}
