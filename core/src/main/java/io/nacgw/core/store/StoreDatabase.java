package io.nacgw.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.nacgw.core.files.OwnerOnly;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A migrated connection pool on the store's database, shared by the stores of one process (devices, sessions):
 * one pool, one Flyway history and one outage breaker per database (JDBC URL and user). Each store opens its own
 * handle and asks for its share of connections; the pool holds the sum of the shares of the open handles, and
 * closing the last handle closes the pool.
 * The embedded SQLite file is opened in WAL mode: a commit is in the write-ahead log (the operating system's page
 * cache at least) before it is acknowledged, so it survives a crash of the process; {@link StoreSettings.Sync#FULL}
 * also flushes it to the disk. Write transactions begin IMMEDIATE (they take the write lock up front, so a read
 * never has to be upgraded into a write that another writer got to first). One process at a time: the file
 * {@code nacgw.db.lock} next to the database is locked while the pool is open.
 */
public final class StoreDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreDatabase.class);
    /** The name of every pool (its threads, its breaker's prober, Hikari's log lines). */
    static final String POOL_NAME = "nacgw-store";
    /** The open pools of this process, by {@link #key}; guarded by itself. */
    private static final Map<String, Pool> POOLS = new HashMap<>();

    /** How long a caller waits for a connection before the store counts as unreachable. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** How often an unreachable store is probed. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final Pool pool;
    private final String user;
    private final int share;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StoreDatabase(Pool pool, String user, int share) {
        this.pool = pool;
        this.user = user;
        this.share = share;
    }

    /**
     * Opens a handle for {@code user} (a name for logs: "devices", "sessions") on the database of {@code s} and
     * adds {@code connections} to its pool; the first handle opens the pool and migrates the schema.
     */
    public static StoreDatabase open(StoreSettings s, String user, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        String key = key(s);
        synchronized (POOLS) {
            Pool pool = POOLS.get(key);
            if (pool == null) {
                pool = Pool.open(s, connections);
                POOLS.put(key, pool);
            } else {
                pool.join(s, connections);
            }
            pool.users.add(user);
            log.debug("store pool {} of {}: {} joined, {} connections for {}", POOL_NAME, pool.description, user,
                    pool.ds.getMaximumPoolSize(), pool.users);
            return new StoreDatabase(pool, user, connections);
        }
    }

    /** One pool per database: the URL (with its parameters: another schema is another database) and the user. */
    private static String key(StoreSettings s) {
        return s.jdbcUrl() + '\0' + s.user();
    }

    /** The pools open in this process (tests). */
    static int openPools() {
        synchronized (POOLS) {
            return POOLS.size();
        }
    }

    /** The users of the open handles on the pool of {@code s}, in the order they opened; empty when none (tests). */
    static List<String> users(StoreSettings s) {
        synchronized (POOLS) {
            Pool pool = POOLS.get(key(s));
            return pool == null ? List.of() : List.copyOf(pool.users);
        }
    }

    /** The connections the pool of {@code s} may hold: the sum of its handles' shares; 0 when closed (tests). */
    static int maximumPoolSize(StoreSettings s) {
        synchronized (POOLS) {
            Pool pool = POOLS.get(key(s));
            return pool == null ? 0 : pool.ds.getMaximumPoolSize();
        }
    }

    /** One Hikari pool and what goes with it: the engine, the file lock, the breaker, the handles using it. */
    private static final class Pool {
        final StoreSettings settings;
        final HikariDataSource ds;
        final StoreEngine engine;
        final String description;
        final FileLock lock;
        final StoreBreaker breaker;
        /** The users of the open handles, one entry per handle; guarded by {@link #POOLS}. */
        final List<String> users = new ArrayList<>();

        private Pool(StoreSettings settings, HikariDataSource ds, String description, FileLock lock) {
            this.settings = settings;
            this.ds = ds;
            this.engine = settings.engine();
            this.description = description;
            this.lock = lock;
            this.breaker = new StoreBreaker(POOL_NAME, () -> {
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
            }, PROBE_INTERVAL, Clock.systemUTC());
        }

        static Pool open(StoreSettings s, int maxPool) {
            String where = redact(s.jdbcUrl());
            StoreEngine engine = s.engine();
            FileLock lock = engine == StoreEngine.SQLITE ? prepareSqliteFile(s.jdbcUrl(), where) : null;
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(s.jdbcUrl());
            hc.setUsername(s.user());
            hc.setPassword(s.password());
            hc.setMaximumPoolSize(maxPool);
            hc.setMinimumIdle(1);
            hc.setPoolName(POOL_NAME);
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
                // nacgw never asks for generated keys; left on, sqlite-jdbc matches every executed statement against a
                // regex and runs "SELECT last_insert_rowid()" as a statement of its own after every INSERT
                hc.addDataSourceProperty("jdbc.get_generated_keys", "false");
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
            return new Pool(s, ds, where, lock);
        }

        /** Adds a handle's share of connections; its settings must be the pool's (but for the share). */
        void join(StoreSettings s, int connections) {
            if (!s.password().equals(settings.password()) || s.sync() != settings.sync()) {
                throw new StoreException("the store at " + description + " is open in this process with another "
                        + "password or sync mode", null);
            }
            // Hikari takes a new maximum while running (HikariConfigMXBean)
            ds.setMaximumPoolSize(ds.getMaximumPoolSize() + connections);
        }

        /** Takes a closed handle's share back; the last one closes the pool and lets go of the file lock. */
        void leave(String user, int connections) {
            users.remove(user);
            if (!users.isEmpty()) {
                ds.setMaximumPoolSize(ds.getMaximumPoolSize() - connections);
                return;
            }
            POOLS.remove(key(settings));
            breaker.close();
            ds.close();
            release(lock);
        }
    }

    /** Creates the database file owner-only when absent and locks {@code FILE.lock}. */
    private static FileLock prepareSqliteFile(String url, String where) {
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
        return lock(file.resolveSibling(file.getFileName() + ".lock"), file);
    }

    private static FileLock lock(Path lock, Path store) {
        try {
            FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            OwnerOnly.restrictFile(lock);
            FileLock fl;
            try {
                fl = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                fl = null; // held by another pool of this JVM (another URL naming the same file): as good as another process
            }
            if (fl == null) {
                ch.close();
                throw new StoreException("the store " + store + " is in use by another process (a running gateway?): "
                        + "stop it first", null);
            }
            return fl;
        } catch (IOException e) {
            throw new StoreException("cannot lock " + lock + ": " + e.getMessage(), e);
        }
    }

    private static void release(FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException ignored) {
            // the lock goes with the channel or the process
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

    /**
     * A pooled connection (auto-commit on); close it to give it back. A closed handle refuses, as its own pool did
     * before pools were shared: the other stores keeping the pool open must not keep a closed store working.
     */
    public Connection connection() throws SQLException {
        if (closed.get()) {
            throw new SQLException("store closed: " + pool.description + " (" + user + ")");
        }
        return pool.ds.getConnection();
    }

    public StoreEngine engine() {
        return pool.engine;
    }


    /** Up, or down with the reason, while the circuit breaker is open. */
    public StoreHealth health() {
        return pool.breaker.health();
    }

    /** Fails at once with {@link StoreUnavailableException} while the store is known to be down. */
    public void ensureUp() {
        pool.breaker.ensureUp();
    }

    /**
     * The exception for a failed operation: a {@link StoreUnavailableException} (and the breaker opens) when
     * {@code e} says the database is unreachable, else a {@link StoreException}.
     */
    public StoreException failed(String what, SQLException e) {
        return pool.breaker.failed(what, e);
    }

    /** The URL without parameters, for logs and messages. */
    public String description() {
        return pool.description;
    }

    /** Gives this handle's connections back; the last handle of the database closes the pool. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (POOLS) {
                pool.leave(user, share);
            }
        }
    }

    @Override
    public String toString() {
        return "StoreDatabase[" + pool.description + ", " + user + "]";
    }
}
