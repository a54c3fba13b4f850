package io.nacgw.radius.server;

import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RadiusStats;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.ServicePort;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated datagrams through both full pipelines (in-process, no sockets): noise, bit flips, truncations
 * and random attributes correctly re-signed with the real secret (so mutations get past the authenticator checks
 * and reach the decoder, the authorizer and the session table). Every {@code checkEvery} datagrams a fresh valid
 * MAB request must be answered with an Access-Accept. Used by {@link FuzzTest} (CI, 1M) and
 * {@link RadiusFuzzBench} (10M, with heap measurement).
 */
final class FuzzRun implements AutoCloseable {
    static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private static final int[] INTERESTING_TYPES = {
        AttributeType.USER_NAME, AttributeType.USER_PASSWORD, AttributeType.CHAP_PASSWORD, AttributeType.SERVICE_TYPE,
        AttributeType.FRAMED_IP_ADDRESS, AttributeType.CLASS, AttributeType.VENDOR_SPECIFIC,
        AttributeType.CALLED_STATION_ID, AttributeType.CALLING_STATION_ID, AttributeType.PROXY_STATE,
        AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_DELAY_TIME, AttributeType.ACCT_SESSION_ID,
        AttributeType.ACCT_TERMINATE_CAUSE, AttributeType.CHAP_CHALLENGE, AttributeType.NAS_PORT_TYPE,
        AttributeType.EAP_MESSAGE, AttributeType.MESSAGE_AUTHENTICATOR, 0, 255, 4, 5, 95, 97};

    /** What a run did. */
    record Result(long datagrams, long millis, RadiusStats stats, long checks, long checksAnswered) {
    }

    private final Random rnd;
    private final TestWorld world = new TestWorld();
    private final ServerComponents components;
    private final EmbeddedChannel auth;
    private final EmbeddedChannel acct;
    private final byte[][] golden;

    FuzzRun(long seed) {
        rnd = new Random(seed);
        RadiusServices services = new RadiusServices(world.policy, world.compliance, world.sessions,
                AuditSink.discard(), world.clock);
        components = new ServerComponents(TestWorld.settings(), NasRegistry.of(List.of(
                TestWorld.switchClient("192.0.2.0/24").build())), services, Runnable::run);
        auth = new EmbeddedChannel(components.initializer(ServicePort.AUTH));
        acct = new EmbeddedChannel(components.initializer(ServicePort.ACCT));
        golden = new byte[][] {
            mab().build(SECRET),
            vpn().build(SECRET),
            RequestBuilder.accounting(3).integer(AttributeType.ACCT_STATUS_TYPE, 1)
                    .text(AttributeType.ACCT_SESSION_ID, "s").text(AttributeType.CALLING_STATION_ID,
                            "00-11-22-33-44-01").build(SECRET),
            RequestBuilder.status(4).build(SECRET),
        };
    }

    /** Sends {@code datagrams} (stopping early at {@code deadlineNanos}, a System.nanoTime value). */
    Result run(long datagrams, long checkEvery, long deadlineNanos) {
        long started = System.nanoTime();
        long checks = 0;
        long answered = 0;
        long i = 0;
        for (; i < datagrams; i++) {
            byte[] d = next();
            boolean toAcct = d.length > 0 && (d[0] == RadiusCode.ACCOUNTING_REQUEST ? rnd.nextInt(8) != 0
                    : rnd.nextInt(8) == 0);
            EmbeddedChannel ch = toAcct ? acct : auth;
            InetSocketAddress from = rnd.nextInt(50) == 0 ? Pipeline.STRANGER
                    : new InetSocketAddress(Pipeline.NAS.getAddress(), 1024 + rnd.nextInt(60000));
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d), Pipeline.LOCAL, from));
            if ((i & 1023) == 0) {
                drain(auth);
                drain(acct);
                // simulated time at 10,240 datagrams/s, so time-bounded state (the RFC 5080 duplicate caches' 10 s,
                // Accept-only sessions) expires as it would in service instead of only filling to its size bound
                world.clock.advance(java.time.Duration.ofMillis(100));
            }
            if (i % checkEvery == checkEvery - 1) {
                checks++;
                if (validAnswered()) {
                    answered++;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    i++;
                    break;
                }
            }
        }
        drain(auth);
        drain(acct);
        return new Result(i, (System.nanoTime() - started) / 1_000_000, components.stats(), checks, answered);
    }

    /** A fresh valid MAB request (new authenticator, so never a duplicate) gets an Access-Accept now. */
    boolean validAnswered() {
        drain(auth);
        byte[] reply = Pipeline.send(auth, mab().build(SECRET), Pipeline.NAS);
        return reply != null && reply[0] == RadiusCode.ACCESS_ACCEPT;
    }

    /** An accounting request is still answered. */
    boolean accountingAnswered() {
        drain(acct);
        return Pipeline.send(acct, RequestBuilder.accounting(9).integer(AttributeType.ACCT_STATUS_TYPE, 1)
                .text(AttributeType.ACCT_SESSION_ID, "after-fuzz").build(SECRET), Pipeline.NAS) != null;
    }

    /** Heap in use after a full collection, in MiB. */
    static long heapAfterGcMiB() {
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static void drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
    }

    @Override
    public void close() {
        auth.finishAndReleaseAll();
        acct.finishAndReleaseAll();
        components.close();
        world.close();
    }

    private static RequestBuilder mab() {
        return RequestBuilder.access(1).text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK).pap("001122334401");
    }

    private static RequestBuilder vpn() {
        return RequestBuilder.access(2).text(AttributeType.USER_NAME, "alice")
                .vendorText(9, 1, "mdm-tlv=device-mac=00-11-22-33-44-01")
                .vendorText(9, 1, "mdm-tlv=device-uid=" + TestWorld.COMPLIANT_ID)
                .text(AttributeType.CALLED_STATION_ID, "AA-BB-CC-DD-EE-FF:guest");
    }


    private byte[] next() {
        switch (rnd.nextInt(6)) {
            case 0: { // noise
                byte[] b = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(5000) : rnd.nextInt(120)];
                rnd.nextBytes(b);
                return b;
            }
            case 1: { // bit flips in a signed packet
                byte[] b = golden[rnd.nextInt(golden.length)].clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 2: { // truncated or padded
                byte[] g = golden[rnd.nextInt(golden.length)];
                return Arrays.copyOf(g, rnd.nextInt(g.length + 40));
            }
            default: // random attributes, correctly signed: reaches decode and the handlers
                return resigned();
        }
    }

    private byte[] resigned() {
        int code = rnd.nextInt(10) == 0 ? rnd.nextInt(256)
                : new int[]{RadiusCode.ACCESS_REQUEST, RadiusCode.ACCOUNTING_REQUEST, RadiusCode.STATUS_SERVER}[rnd.nextInt(3)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[20]);
        boolean ma = rnd.nextInt(8) != 0;
        if (ma) {
            out.write(AttributeType.MESSAGE_AUTHENTICATOR);
            out.write(18);
            out.writeBytes(new byte[16]);
        }
        for (int n = rnd.nextInt(12); n > 0; n--) {
            int type = INTERESTING_TYPES[rnd.nextInt(INTERESTING_TYPES.length)];
            byte[] value;
            if (type == AttributeType.VENDOR_SPECIFIC) {
                value = vsa();
            } else if (type == AttributeType.CALLING_STATION_ID || type == AttributeType.USER_NAME) {
                value = (rnd.nextBoolean() ? "00-11-22-33-44-0" + rnd.nextInt(3) : "x" + rnd.nextInt(99)).getBytes();
            } else {
                value = new byte[rnd.nextInt(5) == 0 ? rnd.nextInt(254) : new int[]{0, 1, 4, 16, 17, 32}[rnd.nextInt(6)]];
                rnd.nextBytes(value);
            }
            int len = rnd.nextInt(30) == 0 ? rnd.nextInt(256) : Math.min(255, value.length + 2);
            out.write(type);
            out.write(len);
            out.write(value, 0, Math.min(value.length, 253));
        }
        byte[] p = out.toByteArray();
        if (p.length > 4096) {
            p = Arrays.copyOf(p, 4096);
        }
        p[0] = (byte) code;
        p[1] = (byte) rnd.nextInt(256);
        int length = rnd.nextInt(20) == 0 ? rnd.nextInt(5000) : p.length;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        byte[] auth = new byte[16];
        rnd.nextBytes(auth);
        System.arraycopy(auth, 0, p, 4, 16);
        if (length == p.length) {
            RadiusCrypto.signRequest(SECRET, p, ma ? 20 : -1);
        }
        return p;
    }

    private byte[] vsa() {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        int vendor = new int[]{9, 311, 14823, 12356, 0}[rnd.nextInt(5)];
        v.write(0);
        v.write(vendor >>> 16);
        v.write(vendor >>> 8);
        v.write(vendor);
        for (int n = rnd.nextInt(4); n > 0; n--) {
            byte[] s = rnd.nextBoolean() ? ("mdm-tlv=device-mac=00-11-22-33-44-0" + rnd.nextInt(3)).getBytes()
                    : new byte[rnd.nextInt(20)];
            v.write(1 + rnd.nextInt(30));
            v.write(rnd.nextInt(15) == 0 ? rnd.nextInt(3) : s.length + 2); // sometimes 0 or 1: the tinyradius loop
            v.writeBytes(s);
        }
        byte[] b = v.toByteArray();
        return b.length > 253 ? Arrays.copyOf(b, 253) : b;
    }
}
