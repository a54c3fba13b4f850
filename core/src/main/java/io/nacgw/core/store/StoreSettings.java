package io.nacgw.core.store;

import java.nio.file.Path;

/**
 * How to reach the store. {@code password} is a secret: never printed by {@link #toString()}.
 *
 * @param jdbcUrl     {@code jdbc:h2:file:...} (embedded) or {@code jdbc:postgresql://...} (shared)
 * @param user        database user (empty for H2)
 * @param password    database password (empty when not needed)
 * @param maxPoolSize connections in the pool (1-64)
 */
public record StoreSettings(String jdbcUrl, String user, String password, int maxPoolSize) {
    public StoreSettings {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("store.url must be a jdbc:h2: or jdbc:postgresql: URL, got '" + jdbcUrl + "'");
        }
        if (maxPoolSize < 1 || maxPoolSize > 64) {
            throw new IllegalArgumentException("store.maxPoolSize must be 1 to 64, got " + maxPoolSize);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The embedded default: an H2 file {@code nacgw.mv.db} in {@code dataDir}. */
    public static StoreSettings embedded(Path dataDir) {
        return new StoreSettings(h2FileUrl(dataDir.resolve("nacgw")), "", "", 8);
    }

    static String h2FileUrl(Path base) {
        // DB_CLOSE_ON_EXIT=FALSE: we close it ourselves after the last write.
        // MAX_COMPACT_TIME: on close, compact for up to 3 s, so a bulk import does not leave a file 5x its data.
        // Durability: H2 writes committed transactions to the file within WRITE_DELAY (500 ms) from its background
        // thread, which also reclaims old chunks; forcing every commit to disk (WRITE_DELAY=0 or CHECKPOINT) made a
        // 1M-device import write a 7-14 GB file. PostgreSQL is the store for fsync-per-commit durability.
        return "jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=3000";
    }

    /** True for PostgreSQL. */
    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "StoreSettings[" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "(none)" : "***")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
