package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RadiusStats;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.radius.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million random and mutated datagrams through both full pipelines (in-process, EmbeddedChannel): none may make
 * an exception escape a handler, hang a handler (the tinyradius zero-length VSA loop) or stop the server from
 * answering a valid request afterwards. A third are re-signed with the real secret, so the mutations get past the
 * authenticator checks and reach the decoder, the authorizer and the session table.
 */
final class FuzzTest {
    private static final int DATAGRAMS = 1_000_000;
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private static final int[] INTERESTING_TYPES = {
        AttributeType.USER_NAME, AttributeType.USER_PASSWORD, AttributeType.CHAP_PASSWORD, AttributeType.SERVICE_TYPE,
        AttributeType.FRAMED_IP_ADDRESS, AttributeType.CLASS, AttributeType.VENDOR_SPECIFIC,
        AttributeType.CALLED_STATION_ID, AttributeType.CALLING_STATION_ID, AttributeType.PROXY_STATE,
        AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_DELAY_TIME, AttributeType.ACCT_SESSION_ID,
        AttributeType.ACCT_TERMINATE_CAUSE, AttributeType.CHAP_CHALLENGE, AttributeType.NAS_PORT_TYPE,
        AttributeType.EAP_MESSAGE, AttributeType.MESSAGE_AUTHENTICATOR, 0, 255, 4, 5, 95, 97};

    private final Random rnd = new Random(20261123L);

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // hang guard only: speed is not asserted in a unit test
    void fuzz_millionDatagrams_nothingEscapesAndValidRequestsStillAnswered() {
        try (TestWorld world = new TestWorld()) {
            RadiusServices services = new RadiusServices(world.policy, world.compliance, world.sessions,
                    AuditSink.discard(), world.clock);
            ServerComponents c = new ServerComponents(TestWorld.settings(), NasRegistry.of(List.of(
                    TestWorld.switchClient("192.0.2.0/24").build())), services, Runnable::run);
            EmbeddedChannel auth = new EmbeddedChannel(c.initializer(ServicePort.AUTH));
            EmbeddedChannel acct = new EmbeddedChannel(c.initializer(ServicePort.ACCT));
            byte[][] golden = {
                mab().build(SECRET),
                vpn().build(SECRET),
                RequestBuilder.accounting(3).integer(AttributeType.ACCT_STATUS_TYPE, 1)
                        .text(AttributeType.ACCT_SESSION_ID, "s").text(AttributeType.CALLING_STATION_ID,
                                "00-11-22-33-44-01").build(SECRET),
                RequestBuilder.status(4).build(SECRET),
            };
            long started = System.nanoTime();
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] d = next(golden);
                boolean toAcct = d.length > 0 && (d[0] == RadiusCode.ACCOUNTING_REQUEST ? rnd.nextInt(8) != 0
                        : rnd.nextInt(8) == 0);
                EmbeddedChannel ch = toAcct ? acct : auth;
                InetSocketAddress from = rnd.nextInt(50) == 0 ? Pipeline.STRANGER
                        : new InetSocketAddress(Pipeline.NAS.getAddress(), 1024 + rnd.nextInt(60000));
                ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d), Pipeline.LOCAL, from));
                if ((i & 1023) == 0) {
                    drain(auth);
                    drain(acct);
                }
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            drain(auth);
            drain(acct);
            RadiusStats s = c.stats();
            System.out.printf("fuzz: %,d datagrams in %,d ms; accepts %d, rejects %d, accounting %d, drops %s%n",
                    DATAGRAMS, ms, s.accepts(), s.rejects(), s.accountingStored(), s.drops());
            assertEquals(0, s.drops(DropReason.INTERNAL_ERROR), "no exception escaped a handler");
            assertEquals(DATAGRAMS, s.received());
            assertTrue(s.accepts() + s.rejects() > 10_000, "mutations reached the authorizer: " + s);
            assertTrue(s.drops(DropReason.DECODE_FAILED) > 0 || s.drops(DropReason.MALFORMED) > 0);

            RequestBuilder ok = mab();
            byte[] reply = Pipeline.send(auth, ok.build(SECRET), Pipeline.NAS);
            assertNotNull(reply, "still answering");
            assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
            byte[] acctReply = Pipeline.send(acct, RequestBuilder.accounting(9).integer(AttributeType.ACCT_STATUS_TYPE, 1)
                    .text(AttributeType.ACCT_SESSION_ID, "after-fuzz").build(SECRET), Pipeline.NAS);
            assertNotNull(acctReply);
            auth.finishAndReleaseAll();
            acct.finishAndReleaseAll();
            c.close();
        }
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

    private static void drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
    }

    private byte[] next(byte[][] golden) {
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
