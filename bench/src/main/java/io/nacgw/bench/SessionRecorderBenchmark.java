package io.nacgw.bench;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.session.Authorization;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.store.StoreSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Accept recorder's session-table writes in a storm of new endpoints: every operation records one batch of
 * {@link #BATCH} Access-Accepts (the recorder's batch) for MACs the table has never seen, each with a device id, in one
 * transaction: one new row each. The score is rows per second, sustained by one writer thread, on a table that already
 * holds {@code preload} rows (so the indexes are larger than one batch touches). {@code engine}: {@code sqlite} (a
 * file in a temporary directory, the embedded store's settings) or {@code postgresql} (a fresh schema in the test
 * database, {@code NACGW_TEST_PG_URL} / {@code NACGW_TEST_PG_USER}, analysed as autovacuum would, dropped afterwards).
 * Wall-clock: run it on a quiet machine, and read {@code -prof gc} / {@link CpuTimeProfiler} for the process's own cost
 * per row; {@link #main} prints the pages each new row writes, which no load changes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
public class SessionRecorderBenchmark {
    static final int BATCH = 256;
    private static final NasRef NAS = new NasRef("ip:192.0.2.10", "bench", "192.0.2.10", "192.0.2.10");

    @Param({"sqlite", "postgresql"})
    String engine;

    @Param({"200000"})
    int preload;

    private Path dir;
    private String schema;
    private SessionStore sessions;
    private final SplittableRandom random = new SplittableRandom(7);
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        StoreSettings settings;
        if (engine.equals("sqlite")) {
            dir = Files.createTempDirectory("nacgw-recorder-bench");
            settings = StoreSettings.embedded(dir);
        } else if (engine.equals("postgresql")) {
            schema = "nacgw_bench" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            pg("CREATE SCHEMA " + schema);
            settings = new StoreSettings(pgUrl() + "?currentSchema=" + schema, pgUser(), "", 4);
        } else {
            throw new IllegalArgumentException("engine must be sqlite or postgresql, got " + engine);
        }
        sessions = SessionStore.open(settings, Clock.systemUTC());
        while (next < preload) {
            sessions.recordAuthorizations(batch());
            if (schema != null && next == 4L * BATCH) {
                analyze();
            }
        }
        if (schema != null) {
            analyze();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sessions.close();
        if (schema != null) {
            pg("DROP SCHEMA " + schema + " CASCADE");
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One batch of {@link #BATCH} Accepts for new MACs: one transaction, {@link #BATCH} new rows. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void newEndpoints() {
        sessions.recordAuthorizations(batch());
    }

    /**
     * What a batch of new rows writes, which the machine's load does not change: {@code java -cp
     * bench/target/benchmarks.jar io.nacgw.bench.SessionRecorderBenchmark [sqlite|postgresql] [preload] [batches]}
     * fills the table, then records {@code batches} batches of {@link #BATCH} new endpoints and prints, per new row,
     * the log each batch wrote: SQLite's WAL frames (one per page written; the log is emptied before each batch) and
     * PostgreSQL's WAL bytes (after a CHECKPOINT, so pages touched first get their full image as in a long storm; the
     * server's WAL position is shared with every other session on it, hence the minimum and the median).
     */
    public static void main(String[] args) throws Exception {
        SessionRecorderBenchmark b = new SessionRecorderBenchmark();
        b.engine = args.length > 0 ? args[0] : "sqlite";
        b.preload = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        b.setUp();
        try (Connection c = b.schema == null
                ? DriverManager.getConnection("jdbc:sqlite:" + b.dir.resolve("nacgw.db"))
                : DriverManager.getConnection(pgUrl(), pgUser(), "");
             Statement st = c.createStatement()) {
            if (b.schema != null) {
                st.execute("CHECKPOINT");
            }
            long[] written = new long[batches];
            for (int i = 0; i < batches; i++) {
                long before = b.schema == null ? sqliteFrames(st, "TRUNCATE") : walPosition(st);
                b.newEndpoints();
                written[i] = (b.schema == null ? sqliteFrames(st, "PASSIVE") : walPosition(st)) - before;
            }
            java.util.Arrays.sort(written);
            String unit = b.schema == null ? "WAL frames (pages)" : "WAL bytes";
            System.out.printf("%s, %d rows before: %s per new row: min %.2f, median %.2f (%d batches of %d)%n",
                    b.engine, b.preload, unit, (double) written[0] / BATCH, (double) written[batches / 2] / BATCH,
                    batches, BATCH);
        } finally {
            b.tearDown();
        }
    }

    /** Checkpoints SQLite's log ({@code mode}) and returns the frames it held. */
    private static long sqliteFrames(Statement st, String mode) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            return mode.equals("TRUNCATE") ? 0 : rs.getLong(2);
        }
    }

    private static long walPosition(Statement st) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Authorization> batch() {
        Instant at = Instant.now();
        Instant expires = at.plus(Duration.ofHours(8));
        List<Authorization> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            // an odd multiplier is a bijection on 48 bits: every MAC new, spread over the whole index like real ones
            MacAddress mac = MacAddress.of((next++ * 0x9E3779B97F4BL) & 0xFFFF_FFFF_FFFFL);
            DeviceGuid device = DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(random.nextLong(), random.nextLong()));
            batch.add(new Authorization(NAS, 1L + (next & 47), null, mac, device, mac.toHex12(), "bench",
                    Verdict.ALLOW, "nacgw:" + Long.toHexString(next), Long.toHexString(next), at, expires, 42L));
        }
        return batch;
    }

    /**
     * What autovacuum does on a production server (the test server runs without it): without statistics PostgreSQL
     * estimates that a batch's {@code mac IN (256 values)} matches every row and reads the NAS's rows through the
     * {@code IS NULL} indexes instead, which measures the planner's guess (a few hundred rows/s), not the writes.
     */
    private void analyze() {
        pg("ANALYZE " + schema + ".nas_sessions");
    }

    private static String pgUrl() {
        String u = System.getenv("NACGW_TEST_PG_URL");
        return u != null ? u : "jdbc:postgresql://127.0.0.1:5432/test";
    }

    private static String pgUser() {
        return System.getenv().getOrDefault("NACGW_TEST_PG_USER", "postgres");
    }

    private static void pg(String sql) {
        try (Connection c = DriverManager.getConnection(pgUrl(), pgUser(), ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + pgUrl() + ": " + e.getMessage(), e);
        }
    }
}
