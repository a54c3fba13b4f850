package io.nacgw.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.nacgw.core.files.OwnerOnly;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A migrated connection pool on the store's database, shared by the stores of one process (devices, sessions).
 * The embedded SQLite file is opened in WAL mode: a commit is in the write-ahead log (the operating system's page
 * cache at least) before it is acknowledged, so it survives a crash of the process; {@link StoreSettings.Sync#FULL}
 * also flushes it to the disk. Write transactions begin IMMEDIATE (they take the write lock up front, so a read
 * never has to be upgraded into a write that another writer got to first). One process at a time: the file
 * {@code nacgw.db.lock} next to the database is locked while a pool is open.
 */
public final class StoreDatabase implements AutoCloseable {
    /** Lock files this process holds, with how many open pools use each. */
    private static final Map<Path, HeldLock> HELD = new HashMap<>();

    /** How long a caller waits for a connection before the store counts as unreachable. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** How often an unreachable store is probed. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final HikariDataSource ds;
    private final StoreEngine engine;
    private final String description;
    private final Path lockFile;
    private final StoreBreaker breaker;

    private StoreDatabase(HikariDataSource ds, StoreEngine engine, String description, Path lockFile, String poolName) {
        this.ds = ds;
        this.engine = engine;
        this.description = description;
        this.lockFile = lockFile;
        this.breaker = new StoreBreaker(poolName, () -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
        }, PROBE_INTERVAL, Clock.systemUTC());
    }

    /** Opens a pool named {@code poolName} with up to {@code maxPool} connections and migrates the schema. */
    public static StoreDatabase open(StoreSettings s, String poolName, int maxPool) {
        String where = redact(s.jdbcUrl());
        StoreEngine engine = s.engine();
        Path lock = engine == StoreEngine.SQLITE ? prepareSqliteFile(s.jdbcUrl(), where) : null;
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(s.jdbcUrl());
        hc.setUsername(s.user());
        hc.setPassword(s.password());
        hc.setMaximumPoolSize(maxPool);
        hc.setMinimumIdle(1);
        hc.setPoolName(poolName);
        hc.setAutoCommit(true);
        hc.setInitializationFailTimeout(10_000);
        hc.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        if (engine == StoreEngine.SQLITE) {
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", s.sync().name());
            hc.addDataSourceProperty("foreign_keys", "true");
            hc.addDataSourceProperty("busy_timeout", "30000");
            hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // after a checkpoint the log is cut back to this size, so a big import does not leave a big file behind
            hc.addDataSourceProperty("journal_size_limit", Long.toString(64L << 20));
            // device ids are random: an import touches index pages all over the file. SQLite's default page cache
            // (2 MB per connection) spills a 5,000-row transaction to the log page by page; 64 MiB keeps a batch's
            // index pages in memory (native memory, allocated as used), and reads go through a shared mapping
            hc.addDataSourceProperty("cache_size", Long.toString(-64L * 1024));
            hc.addDataSourceProperty("mmap_size", Long.toString(256L << 20));
            hc.addDataSourceProperty("temp_store", "MEMORY");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            release(lock);
            throw new StoreException("cannot open the store at " + where + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(ds).locations(engine.migrations()).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            release(lock);
            throw new StoreException("cannot migrate the store schema at " + where + ": " + rootMessage(e), e);
        }
        return new StoreDatabase(ds, engine, where, lock, poolName);
    }

    /** Creates the database file owner-only when absent and locks {@code FILE.lock}; returns the lock file. */
    private static Path prepareSqliteFile(String url, String where) {
        String name = url.substring("jdbc:sqlite:".length());
        int q = name.indexOf('?');
        name = q < 0 ? name : name.substring(0, q);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        if (name.isEmpty() || name.startsWith(":memory:")) {
            throw new StoreException("the store must be a file: " + where, null);
        }
        Path file = Path.of(name).toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null) { // the root directory itself
            throw new StoreException("the store must be a file: " + where, null);
        }
        try {
            OwnerOnly.createDirectories(dir);
            OwnerOnly.createFile(file); // SQLite gives its -wal and -shm files the database file's mode
        } catch (IOException e) {
            throw new StoreException("cannot create the store file " + file + ": " + e.getMessage(), e);
        }
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        acquire(lock, file);
        return lock;
    }

    private static synchronized void acquire(Path lock, Path store) {
        HeldLock held = HELD.get(lock);
        if (held != null) {
            held.users++;
            return;
        }
        try {
            FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            OwnerOnly.restrictFile(lock);
            FileLock fl;
            try {
                fl = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                fl = null; // held through another channel of this JVM: as good as another process
            }
            if (fl == null) {
                ch.close();
                throw new StoreException("the store " + store + " is in use by another process (a running gateway?): "
                        + "stop it first", null);
            }
            HELD.put(lock, new HeldLock(ch, fl));
        } catch (IOException e) {
            throw new StoreException("cannot lock " + lock + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void release(Path lock) {
        HeldLock held = lock == null ? null : HELD.get(lock);
        if (held == null || --held.users > 0) {
            return;
        }
        HELD.remove(lock);
        try {
            held.lock.release();
            held.channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel or the process
        }
    }

    private static final class HeldLock {
        final FileChannel channel;
        final FileLock lock;
        int users = 1;

        HeldLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /** Drops URL parameters, which may carry a password. */
    static String redact(String url) {
        int q = url.indexOf('?');
        int semi = url.indexOf(';');
        int cut = q < 0 ? semi : semi < 0 ? q : Math.min(q, semi);
        return cut < 0 ? url : url.substring(0, cut);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** A pooled connection (auto-commit on); close it to give it back. */
    public Connection connection() throws SQLException {
        return ds.getConnection();
    }

    public StoreEngine engine() {
        return engine;
    }

    /** Up, or down with the reason, while the circuit breaker is open. */
    public StoreHealth health() {
        return breaker.health();
    }

    /** Fails at once with {@link StoreUnavailableException} while the store is known to be down. */
    public void ensureUp() {
        breaker.ensureUp();
    }

    /**
     * The exception for a failed operation: a {@link StoreUnavailableException} (and the breaker opens) when
     * {@code e} says the database is unreachable, else a {@link StoreException}.
     */
    public StoreException failed(String what, SQLException e) {
        return breaker.failed(what, e);
    }

    /** The URL without parameters, for logs and messages. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        breaker.close();
        ds.close();
        release(lockFile);
    }

    @Override
    public String toString() {
        return "StoreDatabase[" + description + "]";
    }
}
