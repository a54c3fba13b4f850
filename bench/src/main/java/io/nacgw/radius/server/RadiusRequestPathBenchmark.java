package io.nacgw.radius.server;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nacgw.bench.BenchDevices;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.loadgen.RequestShape;
import io.nacgw.loadgen.radius.RadiusCodec;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.codec.ServicePort;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The whole RADIUS request path of the gateway, wired as {@code nacgw run} wires it: an MAB Access-Request datagram
 * (the load generator's, Message-Authenticator on) through the auth port's pipeline (admission, client, structure,
 * authenticators, RFC 5080 duplicates, decode, decide from the in-memory index, encode) with the Access-Accept
 * recording into a real SQLite session table, the audit log to a file, the decision tallies and the Micrometer
 * latency histogram the gateway registers. 10% of the requests are for unknown MACs.
 * <p>
 * Every {@link AcceptRecorder#BATCH} requests the benchmark waits for the session writer, so the score includes the
 * session-table writes that run on their own thread in the gateway (on a 2-core machine they compete with the event
 * loops). {@code distinctMacs}: how many endpoints the requests cycle through; each request advances the clock by
 * 1 ms, so 1,000 re-authenticates every endpoint each second (what the loopback benchmark does to the gateway) and
 * 16,384 sees each endpoint again only after 16 s, past the duplicate cache and the Accept coalescing (a storm of
 * new endpoints). Run with {@code -prof gc} for the allocation per request ({@code gc.alloc.rate.norm}).
 * Lives in the radius server package to reach the recorder's idle wait.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(1)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
public class RadiusRequestPathBenchmark {
    private static final String SECRET = "bench-secret-0123456789";
    private static final int PACKETS = 1 << 14;
    private static final int DEVICES = 20_000;
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1812);

    @Param({"1000", "16384"})
    int distinctMacs;

    private Path dir;
    private ComplianceStore store;
    private ComplianceService compliance;
    private SessionStore sessions;
    private ServerComponents components;
    private EmbeddedChannel channel;
    private final StepClock clock = new StepClock(BenchDevices.NOW);
    private byte[][] packets;
    private InetSocketAddress[] peers;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("nacgw-radius-bench");
        StoreSettings settings = StoreSettings.embedded(dir);
        store = ComplianceStore.open(settings);
        List<DeviceRecord> devices = new ArrayList<>(DEVICES);
        for (int i = 0; i < DEVICES; i++) {
            devices.add(BenchDevices.device(i));
        }
        store.upsertAll(devices);
        compliance = ComplianceService.start(store, IndexSettings.DEFAULTS);
        sessions = SessionStore.open(settings, clock);
        // bench/lib/nacgw-conf.sh's profile: compliant and grace devices allowed with a VLAN, everything else rejected
        Profile bench = Profile.builder("bench").maxDaysSinceCheckIn(0)
                .allow(new ResponseAttributes("100", null, null, null, null, null, null)).build();
        NasClient loadgen = NasClient.builder("loadgen", "127.0.0.1/32", SECRET).profile("bench").build();
        RadiusServices services = new RadiusServices(AccessPolicy.of(List.of(bench), "bench"), compliance, sessions,
                AuditSink.file(dir.resolve("audit.jsonl")), clock);
        components = new ServerComponents(RadiusSettings.DEFAULTS.withBindAddress("127.0.0.1").withPorts(0, 0),
                NasRegistry.of(List.of(loadgen)), services);
        components.decisions().register(List.of("loadgen"), List.of("bench"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer latency = Timer.builder("nacgw_radius_request").publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
        components.decisions().onLatency(n -> latency.record(n, TimeUnit.NANOSECONDS));
        channel = new EmbeddedChannel(components.initializer(ServicePort.AUTH));

        RadiusCodec codec = new RadiusCodec(SECRET.getBytes(StandardCharsets.UTF_8));
        SplittableRandom r = new SplittableRandom(11);
        packets = new byte[PACKETS][];
        peers = new InetSocketAddress[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            int d = i % distinctMacs;
            long mac = BenchDevices.mac(d).value() + (d % 10 == 9 ? 3 : 0); // every tenth endpoint is unknown
            byte[] authenticator = new byte[16];
            for (int k = 0; k < 16; k++) {
                authenticator[k] = (byte) r.nextInt(256);
            }
            packets[i] = codec.accessRequest(i & 0xFF, authenticator, RequestShape.MAB.attributes(mac, null, 1 + d),
                    true);
            peers[i] = new InetSocketAddress("127.0.0.1", 20_000 + (i >> 8)); // (port, identifier) unique per packet
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.finishAndReleaseAll();
        components.close();
        sessions.close();
        compliance.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One Access-Request in, its answer's code out (2 Accept, 3 Reject); anything else fails the run. */
    @Benchmark
    public int accessRequest() throws InterruptedException {
        int i = next++ & (PACKETS - 1);
        clock.step();
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(packets[i]), LOCAL, peers[i]));
        DatagramPacket out = channel.readOutbound();
        if (out == null) {
            throw new IllegalStateException("no answer to request " + i + ": " + components.stats());
        }
        int code = out.content().getByte(0);
        out.release();
        if (code != 2 && code != 3) {
            throw new IllegalStateException("answer code " + code + " to request " + i);
        }
        if ((next & (AcceptRecorder.BATCH - 1)) == 0 && !components.awaitSessionsRecorded(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the session writer fell behind by 30 s");
        }
        return code;
    }

    /**
     * CPU per request without JMH, for a shared, noisy machine: {@code java -cp bench/target/benchmarks.jar
     * io.nacgw.radius.server.RadiusRequestPathBenchmark [distinctMacs] [requests]} warms up, then prints the process
     * CPU time (every thread: event loop, session writer, audit writer, GC, JIT) per request, that of each thread
     * that used more than 2% of it, and the bytes all Java threads allocated per request. CPU time is what a busy machine does not distort much; wall time it does.
     */
    public static void main(String[] args) throws Exception {
        RadiusRequestPathBenchmark b = new RadiusRequestPathBenchmark();
        b.distinctMacs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        b.setUp();
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 4; round++) { // the first rounds warm up (JIT)
                java.util.Map<String, long[]> before = threadTimes(threads);
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    b.accessRequest();
                }
                long cpu = os.getProcessCpuTime() - cpu0;
                long wall = System.nanoTime() - wall0;
                java.util.Map<String, long[]> after = threadTimes(threads);
                StringBuilder perThread = new StringBuilder();
                long alloc = 0;
                for (var e : after.entrySet()) {
                    long[] was = before.getOrDefault(e.getKey(), new long[2]);
                    long threadCpu = e.getValue()[0] - was[0];
                    alloc += e.getValue()[1] - was[1];
                    if (threadCpu > cpu / 50) { // the threads that matter: the request thread and the writers
                        perThread.append(String.format(", %s %.2f", e.getKey(), threadCpu / 1e3 / n));
                    }
                }
                System.out.printf("round %d, distinctMacs %d: %.2f us CPU/request (all threads%s), %d B allocated"
                        + "/request (Java threads), %.0f requests/s wall%n", round, b.distinctMacs, cpu / 1e3 / n,
                        perThread, alloc / n, n * 1e9 / wall);
            }
        } finally {
            b.tearDown();
        }
    }

    /** CPU nanoseconds and bytes allocated so far per live thread, by thread name (same names summed). */
    private static java.util.Map<String, long[]> threadTimes(com.sun.management.ThreadMXBean threads) {
        java.util.Map<String, long[]> times = new java.util.TreeMap<>();
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        java.lang.management.ThreadInfo[] info = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (info[i] != null && cpu[i] >= 0) {
                long[] t = times.computeIfAbsent(info[i].getThreadName(), k -> new long[2]);
                t[0] += cpu[i];
                t[1] += Math.max(0, allocated[i]);
            }
        }
        return times;
    }

    /** A clock the benchmark moves 1 ms per request, so expiries and coalescing see a steady request rate. */
    static final class StepClock extends Clock {
        private final AtomicLong millis;

        StepClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void step() {
            millis.incrementAndGet();
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
