package io.nacgw.radius;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.secret.Secret;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.codec.AttributeType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * MAB load benchmark (not a test): N devices, 10 % unknown MACs, Message-Authenticator on, a fixed number of
 * requests outstanding from several source ports; prints requests/s, latency percentiles and the server threads'
 * CPU. Run: {@code java -cp <test classpath> io.nacgw.radius.RadiusLoadBench [devices] [outstanding] [seconds]}.
 */
public final class RadiusLoadBench {
    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int outstanding = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int sockets = 8;
        int perSocket = outstanding / sockets;
        MacAddress[] macs = new MacAddress[devices];
        List<DeviceRecord> extra = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            macs[i] = MacAddress.of(0x0200_0000_0000L + i);
            extra.add(TestWorld.device(DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(0x5EED, i)), macs[i],
                    i % 5 == 0 ? ComplianceState.NONCOMPLIANT : ComplianceState.COMPLIANT));
        }
        long t0 = System.nanoTime();
        try (TestWorld world = new TestWorld(IndexSettings.DEFAULTS, extra);
             RadiusServer server = RadiusServer.start(RadiusSettings.DEFAULTS.withBindAddress("127.0.0.1")
                             .withPorts(0, 0).withTransport(true, 0),
                     List.of(TestWorld.switchClient("127.0.0.1").build()),
                     new RadiusServices(world.policy, world.compliance, world.sessions, AuditSink.discard(), world.clock))) {
            System.out.printf("loaded %,d devices in %,d ms; server %s on %s%n", devices + 2,
                    (System.nanoTime() - t0) / 1_000_000, server.transport(), server.authAddress());
            Secret secret = Secret.of(TestWorld.SECRET);
            Selector sel = Selector.open();
            long[][] sentAt = new long[sockets][256];
            int[] nextId = new int[sockets];
            DatagramChannel[] chs = new DatagramChannel[sockets];
            for (int s = 0; s < sockets; s++) {
                chs[s] = DatagramChannel.open();
                chs[s].bind(new InetSocketAddress("127.0.0.1", 0));
                chs[s].connect(server.authAddress());
                chs[s].configureBlocking(false);
                chs[s].register(sel, SelectionKey.OP_READ, s);
            }
            long[] lat = new long[20_000_000];
            int n = 0;
            long timeouts = 0;
            ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
            for (int phase = 0; phase < 2; phase++) { // warm-up, then measure
                long end = System.nanoTime() + (phase == 0 ? 3 : seconds) * 1_000_000_000L;
                n = 0;
                long cpu0 = serverCpu(tmx);
                long start = System.nanoTime();
                for (int s = 0; s < sockets; s++) {
                    Arrays.fill(sentAt[s], 0);
                    for (int k = 0; k < perSocket; k++) {
                        send(chs[s], s, nextId, sentAt, macs, secret);
                    }
                }
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (System.nanoTime() < end) {
                    if (sel.select(200) == 0) {
                        long now = System.nanoTime();
                        for (int s = 0; s < sockets; s++) { // lost datagrams: replace them
                            for (int id = 0; id < 256; id++) {
                                if (sentAt[s][id] != 0 && now - sentAt[s][id] > 1_000_000_000L) {
                                    sentAt[s][id] = 0;
                                    timeouts++;
                                    send(chs[s], s, nextId, sentAt, macs, secret);
                                }
                            }
                        }
                        continue;
                    }
                    for (SelectionKey key : sel.selectedKeys()) {
                        int s = (Integer) key.attachment();
                        while (true) {
                            buf.clear();
                            if (chs[s].receive(buf) == null) {
                                break;
                            }
                            int id = buf.get(1) & 0xFF;
                            long sent = sentAt[s][id];
                            if (sent != 0) {
                                sentAt[s][id] = 0;
                                if (n < lat.length) {
                                    lat[n++] = System.nanoTime() - sent;
                                }
                                send(chs[s], s, nextId, sentAt, macs, secret);
                            }
                        }
                    }
                    sel.selectedKeys().clear();
                }
                if (phase == 1) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    long cpu = serverCpu(tmx) - cpu0;
                    long[] l = Arrays.copyOf(lat, n);
                    Arrays.sort(l);
                    System.out.printf("%d outstanding: %,.0f requests/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, "
                                    + "server threads CPU %.0f%%, timeouts %d, stats %s%n", outstanding, n / secs,
                            pct(l, 0.50), pct(l, 0.99), pct(l, 0.999), 100.0 * cpu / 1e9 / secs, timeouts,
                            server.stats());
                }
                // let outstanding requests drain before the next phase
                Thread.sleep(300);
                sel.selectNow();
                sel.selectedKeys().clear();
                for (DatagramChannel c : chs) {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    while (c.receive(b) != null) {
                        b.clear();
                    }
                }
            }
        }
    }

    private static long serverCpu(ThreadMXBean tmx) {
        long sum = 0;
        for (java.lang.management.ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith("nacgw-radius")) {
                sum += Math.max(0, tmx.getThreadCpuTime(ti.getThreadId()));
            }
        }
        return sum;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    private static void send(DatagramChannel ch, int s, int[] nextId, long[][] sentAt, MacAddress[] macs,
                             Secret secret) throws java.io.IOException {
        int id = nextId[s]++ & 0xFF;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        MacAddress mac = r.nextInt(10) == 0 ? MacAddress.of(0x0600_0000_0000L + r.nextInt(1 << 24))
                : macs[r.nextInt(macs.length)];
        byte[] d = RequestBuilder.access(id).text(AttributeType.USER_NAME, mac.toHex12().toLowerCase())
                .text(AttributeType.CALLING_STATION_ID, mac.toRfc3580())
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .integer(AttributeType.NAS_PORT_TYPE, 15).pap(mac.toHex12().toLowerCase()).build(secret);
        sentAt[s][id] = System.nanoTime();
        ch.write(ByteBuffer.wrap(d));
    }
}
