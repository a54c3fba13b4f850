package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ServerNames;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The durability acceptance run of issue 11: the gateway runs as its own JVM on the embedded default store; single
 * {@code PUT}s and NDJSON bulks are sent over HTTPS and the process is killed with SIGKILL at random moments. After
 * each kill the store files are copied as the crash left them and opened (with the same store code the gateway
 * uses), while the gateway restarts on the originals; every write that got a 2xx must be there with at least the
 * acknowledged version ({@code lastModified}). Sizes come from {@link Settings}: small in the test suite, the
 * issue's sizes as a benchmark.
 */
final class KillNineHarness {
    /** Versions are {@code lastModified} = this instant plus a global counter in milliseconds. */
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long ID_HIGH = 0x6b1d0c9e2a7f4d11L;

    /**
     * @param bulkRecords devices per NDJSON bulk (the bulk phase runs first and leaves a store of this size)
     * @param bulkKills   kills at random moments while bulks are sent back to back
     * @param puts        acknowledged single PUTs in total over the PUT phase
     * @param putKills    kills during the PUT phase (at a random count of acknowledged PUTs)
     * @param putDevices  devices the PUTs update (the first of the bulk's devices: updates of stored rows)
     * @param putThreads  concurrent PUT clients
     * @param heap        the gateway's -Xmx
     */
    record Settings(int bulkRecords, int bulkKills, int puts, int putKills, int putDevices, int putThreads,
                    String heap, long seed) {
        static Settings fromSystemProperties(Settings defaults) {
            return new Settings(Integer.getInteger("nacgw.kill9.bulkRecords", defaults.bulkRecords),
                    Integer.getInteger("nacgw.kill9.bulkKills", defaults.bulkKills),
                    Integer.getInteger("nacgw.kill9.puts", defaults.puts),
                    Integer.getInteger("nacgw.kill9.putKills", defaults.putKills),
                    Integer.getInteger("nacgw.kill9.putDevices", defaults.putDevices),
                    Integer.getInteger("nacgw.kill9.putThreads", defaults.putThreads),
                    System.getProperty("nacgw.kill9.heap", defaults.heap),
                    Long.getLong("nacgw.kill9.seed", defaults.seed));
        }
    }

    /** One kill: what was acknowledged since the previous one and how much of it the store lost. */
    record Trial(String phase, int number, long acknowledged, long lost, long storeDevices, double secondsBeforeKill,
                 long storeBytes) {
        @Override
        public String toString() {
            return String.format("%s kill %d after %.1f s: %d acknowledged writes, %d lost, %d devices stored, store %.1f MB",
                    phase, number, secondsBeforeKill, acknowledged, lost, storeDevices, storeBytes / 1e6);
        }
    }

    /** A 2xx write: device number and version. */
    private record Ack(int device, long version) {
    }

    private final Settings settings;
    private final Path dir;
    private final Path dataDir;
    private final Path config;
    private final Path log;
    private final Random random;
    private final AtomicLong clock = new AtomicLong();
    private final List<Trial> trials = new ArrayList<>();
    private HttpClient http;
    private GatewayProcess gateway;
    private double firstBulkSeconds;

    KillNineHarness(Settings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.config = dir.resolve("nacgw.yaml");
        // kept after the test's temporary directory is gone: the first thing to read when a kill lost something
        this.log = Path.of("target", "kill9-gateway.log").toAbsolutePath();
        this.random = new Random(settings.seed());
    }

    List<Trial> trials() {
        return trials;
    }

    double firstBulkSeconds() {
        return firstBulkSeconds;
    }

    Path log() {
        return log;
    }

    /** Runs both phases; the trials say what was lost. */
    List<Trial> run() throws Exception {
        Files.createDirectories(dataDir);
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Files.writeString(config, """
                dataDir: data
                radius: {enabled: false}
                api: {host: 127.0.0.1, port: 0, requestTimeout: 30m, idleTimeout: 30m}
                metrics: {enabled: false}
                policy: {profiles: {wifi: {}}}
                """);
        CertificateAuthority ca = CertificateAuthority.open(dataDir.resolve("pki"));
        ca.init(ServerNames.of(List.of("localhost", "127.0.0.1")), KeyType.defaultType(), false);
        http = AdminClient.create(dataDir.resolve("pki"), "kill9-admin");
        gateway = GatewayProcess.start(config, log, settings.heap(), 300);
        try {
            bulkPhase();
            putPhase();
        } finally {
            gateway.close();
        }
        return trials;
    }

    // --- bulk -------------------------------------------------------------------------------------------------

    private void bulkPhase() throws Exception {
        Map<Integer, Long> acked = new HashMap<>();
        long t = System.nanoTime();
        long v = clock.incrementAndGet();
        if (!bulk(settings.bulkRecords(), v)) {
            throw new IllegalStateException("the first bulk of " + settings.bulkRecords() + " records was not accepted; see " + log);
        }
        firstBulkSeconds = (System.nanoTime() - t) / 1e9;
        for (int i = 0; i < settings.bulkRecords(); i++) {
            acked.put(i, v);
        }
        for (int k = 1; k <= settings.bulkKills(); k++) {
            AtomicBoolean killed = new AtomicBoolean();
            List<Long> ackedVersions = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread sender = new Thread(() -> {
                while (!killed.get()) {
                    long version = clock.incrementAndGet();
                    try {
                        if (bulk(settings.bulkRecords(), version) && !killed.get()) {
                            ackedVersions.add(version);
                        }
                    } catch (Exception e) {
                        return; // the connection died with the process: nothing of this bulk was acknowledged
                    }
                }
            }, "kill9-bulk");
            long start = System.nanoTime();
            sender.start();
            // anywhere from early in the first bulk to well into the second
            Thread.sleep((long) (firstBulkSeconds * 1000 * (0.05 + 1.6 * random.nextDouble())));
            killAndRecordTime(killed);
            sender.join(60_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            long ackedNow = 0;
            for (long version : ackedVersions) {
                ackedNow += settings.bulkRecords();
                for (int i = 0; i < settings.bulkRecords(); i++) {
                    acked.merge(i, version, Math::max);
                }
            }
            List<Ack> expected = new ArrayList<>(acked.size());
            acked.forEach((d, ver) -> expected.add(new Ack(d, ver)));
            verifyAfterKill("bulk", k, seconds, ackedNow, expected);
        }
    }

    /** True when the bulk was answered 200 with every record counted. */
    private boolean bulk(int count, long version) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/devices:bulk")).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new NdjsonStream(count, version))).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            return false;
        }
        String b = res.body();
        if (!b.contains("\"received\":" + count) || !b.contains("\"invalid\":0")) {
            throw new IllegalStateException("bulk answered 200 but did not take every record: " + b);
        }
        return true;
    }

    // --- single PUTs ------------------------------------------------------------------------------------------

    private void putPhase() throws Exception {
        int devices = Math.min(settings.putDevices(), Math.max(1, settings.bulkRecords()));
        Map<Integer, Long> acked = new ConcurrentHashMap<>();
        int perTrial = Math.max(1, settings.puts() / Math.max(1, settings.putKills()));
        for (int k = 1; k <= settings.putKills(); k++) {
            int killAfter = (int) (perTrial * (0.5 + random.nextDouble()));
            AtomicInteger ackedInTrial = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            List<Ack> trialAcks = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < settings.putThreads(); w++) {
                int slot = w;
                Thread t = new Thread(() -> {
                    Random r = new Random(settings.seed() * 31 + slot);
                    // each writer owns the devices d with d % threads == slot: no two writes of one device race
                    int owned = Math.max(1, (devices - slot + settings.putThreads() - 1) / settings.putThreads());
                    while (!killed.get()) {
                        int d = slot + settings.putThreads() * r.nextInt(owned);
                        long version = clock.incrementAndGet();
                        try {
                            if (put(d, version) && !killed.get()) {
                                acked.merge(d, version, Math::max);
                                trialAcks.add(new Ack(d, version));
                                ackedInTrial.incrementAndGet();
                            }
                        } catch (Exception e) {
                            if (killed.get()) {
                                return;
                            }
                        }
                    }
                }, "kill9-put-" + w);
                writers.add(t);
                t.start();
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
            while (ackedInTrial.get() < killAfter) {
                if (System.nanoTime() > deadline) {
                    killAndRecordTime(killed);
                    throw new IllegalStateException("only " + ackedInTrial.get() + " of " + killAfter
                            + " PUTs acknowledged in 10 minutes; see " + log);
                }
                Thread.sleep(1);
            }
            killAndRecordTime(killed);
            for (Thread t : writers) {
                t.join(60_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Ack> expected = new ArrayList<>(acked.size());
            acked.forEach((d, ver) -> expected.add(new Ack(d, ver)));
            verifyAfterKill("put", k, seconds, trialAcks.size(), expected);
        }
    }

    private boolean put(int device, long version) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/devices/" + id(device))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(device, version))).build();
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status == 200 || status == 201;
    }

    // --- kill, copy, verify, restart --------------------------------------------------------------------------

    /**
     * SIGKILL; {@code killed} is set first, so a response that arrives in the same instant is not counted as
     * acknowledged even though the store may hold it (an under-count of acknowledgements, never an over-count).
     */
    private void killAndRecordTime(AtomicBoolean killed) throws InterruptedException {
        killed.set(true);
        gateway.kill9();
    }

    private void verifyAfterKill(String phase, int number, double seconds, long acknowledged, List<Ack> expected)
            throws Exception {
        Path snapshot = dir.resolve("after-" + phase + "-" + number);
        Files.createDirectories(snapshot);
        long bytes = 0;
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && f.getFileName().toString().startsWith("nacgw.")) {
                    Files.copy(f, snapshot.resolve(f.getFileName()));
                    bytes += Files.size(f);
                }
            }
        }
        // the gateway recovers the originals itself; the copy is checked with the same store code
        gateway = GatewayProcess.start(config, log, settings.heap(), 300);
        Map<UUID, Long> stored = new HashMap<>();
        try (ComplianceStore store = ComplianceStore.open(StoreSettings.embedded(snapshot))) {
            store.forEach(r -> stored.put(r.deviceId().uuid(), r.lastModifiedEpochMilli() - T0.toEpochMilli()));
        }
        long lost = 0;
        for (Ack a : expected) {
            Long have = stored.get(uuid(a.device()));
            if (have == null || have < a.version()) {
                lost++;
            }
        }
        trials.add(new Trial(phase, number, acknowledged, lost, stored.size(), seconds, bytes));
        deleteTree(snapshot);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    // --- devices ----------------------------------------------------------------------------------------------

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + gateway.apiPort() + path);
    }

    static UUID uuid(int device) {
        return new UUID(ID_HIGH, device);
    }

    private static String id(int device) {
        return uuid(device).toString();
    }

    /** A realistic MDM record (about 400 bytes) whose {@code lastModified} carries the version. */
    static String json(int device, long version) {
        String mac = String.format("02:1d:%02x:%02x:%02x:%02x", (device >>> 24) & 0xff, (device >>> 16) & 0xff,
                (device >>> 8) & 0xff, device & 0xff);
        return "{\"deviceId\":\"" + id(device) + "\",\"deviceName\":\"DUR-" + device + "\",\"userPrincipalName\":\"user"
                + device + "@example.com\",\"platform\":\"windows\",\"osVersion\":\"10.0.22631.4460\","
                + "\"model\":\"Latitude 7440\",\"manufacturer\":\"Dell Inc.\",\"ownership\":\"corporate\","
                + "\"managementState\":\"managed\",\"complianceState\":\"compliant\",\"policyAssigned\":true,"
                + "\"encrypted\":true,\"lastCheckIn\":\"2026-01-01T00:00:00Z\",\"lastModified\":\""
                + T0.plusMillis(version) + "\",\"serial\":\"SN" + device + "\",\"macs\":[\"" + mac + "\"]}";
    }

    /** NDJSON of devices 0..count-1 at one version, generated as it is read (constant memory). */
    private static final class NdjsonStream extends InputStream {
        private final int count;
        private final long version;
        private int next;
        private byte[] line = new byte[0];
        private int pos;

        NdjsonStream(int count, long version) {
            this.count = count;
            this.version = version;
        }

        private boolean fill() {
            if (pos < line.length) {
                return true;
            }
            if (next >= count) {
                return false;
            }
            line = (json(next++, version) + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            return fill() ? line[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && fill()) {
                int k = Math.min(len - n, line.length - pos);
                System.arraycopy(line, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }
}
