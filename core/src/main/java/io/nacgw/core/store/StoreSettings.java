package io.nacgw.core.store;

import java.nio.file.Path;

/**
 * How to reach the store. {@code password} is a secret: never printed by {@link #toString()}.
 *
 * @param jdbcUrl     {@code jdbc:sqlite:FILE} (embedded) or {@code jdbc:postgresql://...} (shared)
 * @param user        database user (empty for SQLite)
 * @param password    database password (empty when not needed)
 * @param maxPoolSize connections in the pool (1-64)
 * @param sync        embedded store only: when a commit reaches the disk (see {@link Sync})
 * @param sessionPoolSize connections the session store adds to the pool (1-64); by default
 *                    {@link #defaultSessionPoolSize} of {@code maxPoolSize}
 */
public record StoreSettings(String jdbcUrl, String user, String password, int maxPoolSize, Sync sync,
                            int sessionPoolSize) {
    /** The embedded database file in the data directory. */
    public static final String EMBEDDED_FILE = "nacgw.db";

    /**
     * When an acknowledged commit of the embedded store (SQLite in WAL mode) is safe. Both survive a crash of the
     * process (kill -9, out of memory): a commit is written to the write-ahead log before it is acknowledged.
     */
    public enum Sync {
        /** {@code synchronous=NORMAL}: the log is flushed to the disk at checkpoints; a power loss or kernel crash
         * can lose the last commits (never corrupts). */
        NORMAL,
        /** {@code synchronous=FULL}: every commit is flushed (fsync) before it is acknowledged; survives power loss. */
        FULL
    }

    public StoreSettings {
        if (jdbcUrl == null || StoreEngine.of(jdbcUrl) == null) {
            throw new IllegalArgumentException("store.url must be a jdbc:sqlite: or jdbc:postgresql: URL, got '" + jdbcUrl + "'");
        }
        if (maxPoolSize < 1 || maxPoolSize > 64) {
            throw new IllegalArgumentException("store.maxPoolSize must be 1 to 64, got " + maxPoolSize);
        }
        if (sessionPoolSize < 1 || sessionPoolSize > 64) {
            throw new IllegalArgumentException("store.sessionPoolSize must be 1 to 64, got " + sessionPoolSize);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        sync = sync == null ? Sync.NORMAL : sync;
    }

    public StoreSettings(String jdbcUrl, String user, String password, int maxPoolSize, Sync sync) {
        this(jdbcUrl, user, password, maxPoolSize, sync, defaultSessionPoolSize(maxPoolSize));
    }

    public StoreSettings(String jdbcUrl, String user, String password, int maxPoolSize) {
        this(jdbcUrl, user, password, maxPoolSize, Sync.NORMAL);
    }

    /**
     * The session store's share when none is configured: the device store's, at least 2 (the Accept recorder and
     * accounting write while the API reads) and at most 8 (on SQLite the writers take turns anyway).
     */
    public static int defaultSessionPoolSize(int maxPoolSize) {
        return Math.max(2, Math.min(8, maxPoolSize));
    }

    /** The same settings with another session-store share. */
    public StoreSettings withSessionPoolSize(int connections) {
        return new StoreSettings(jdbcUrl, user, password, maxPoolSize, sync, connections);
    }

    /** The embedded default: the SQLite file {@code nacgw.db} in {@code dataDir}. */
    public static StoreSettings embedded(Path dataDir) {
        return new StoreSettings(sqliteFileUrl(dataDir.resolve(EMBEDDED_FILE)), "", "", 8);
    }

    /** Same, with another pool size and sync mode. */
    public static StoreSettings embedded(Path dataDir, int maxPoolSize, Sync sync) {
        return new StoreSettings(sqliteFileUrl(dataDir.resolve(EMBEDDED_FILE)), "", "", maxPoolSize, sync);
    }

    static String sqliteFileUrl(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** The database engine this URL names. */
    public StoreEngine engine() {
        return StoreEngine.of(jdbcUrl);
    }

    /** True for PostgreSQL. */
    public boolean isPostgres() {
        return engine() == StoreEngine.POSTGRESQL;
    }

    @Override
    public String toString() {
        return "StoreSettings[" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "(none)" : "***")
                + ", maxPoolSize=" + maxPoolSize + ", sync=" + sync + ", sessionPoolSize=" + sessionPoolSize + "]";
    }
}
