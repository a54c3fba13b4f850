package io.nacgw.core.store;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

/**
 * The database engines the store runs on, and the little that differs between them: how a UUID is bound (SQLite
 * keeps 16 big-endian bytes, which sort like PostgreSQL's {@code uuid}), how a duplicate key is reported, and the
 * Flyway locations (the shared portable scripts plus one folder per engine for a script that cannot be portable).
 */
public enum StoreEngine {
    /** Embedded single-node default: one file, write-ahead log. */
    SQLITE("jdbc:sqlite:", "classpath:db/migration-sqlite"),
    /** Shared store for many nodes. */
    POSTGRESQL("jdbc:postgresql:", "classpath:db/migration-postgresql");

    /** Migrations both engines run; a script that needs engine-specific SQL lives in {@link #migrations()} instead. */
    static final String PORTABLE_MIGRATIONS = "classpath:db/migration";

    private final String urlPrefix;
    private final String engineMigrations;

    StoreEngine(String urlPrefix, String engineMigrations) {
        this.urlPrefix = urlPrefix;
        this.engineMigrations = engineMigrations;
    }

    /** The engine of a JDBC URL, or null for any other URL. */
    static StoreEngine of(String jdbcUrl) {
        for (StoreEngine e : values()) {
            if (jdbcUrl.startsWith(e.urlPrefix)) {
                return e;
            }
        }
        return null;
    }

    /** Flyway locations: the portable scripts and this engine's own. */
    String[] migrations() {
        return new String[] {PORTABLE_MIGRATIONS, engineMigrations};
    }

    /** Binds a UUID (or SQL NULL) the way this engine stores it. */
    public void setUuid(PreparedStatement ps, int index, UUID uuid) throws SQLException {
        if (this == SQLITE) {
            if (uuid == null) {
                ps.setNull(index, Types.BLOB);
            } else {
                ps.setBytes(index, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                        .putLong(uuid.getLeastSignificantBits()).array());
            }
        } else {
            ps.setObject(index, uuid, Types.OTHER);
        }
    }

    /** Reads a UUID column (null for SQL NULL). */
    public UUID getUuid(ResultSet rs, int index) throws SQLException {
        if (this == SQLITE) {
            byte[] b = rs.getBytes(index);
            if (b == null) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new UUID(bb.getLong(), bb.getLong());
        }
        return rs.getObject(index, UUID.class);
    }

    /** Binds query arguments: UUIDs as {@link #setUuid}, everything else as JDBC objects. */
    public void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof UUID) {
                setUuid(ps, i + 1, (UUID) args[i]);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    /** True when {@code e} says a primary key or unique constraint refused a second row. */
    public boolean isDuplicateKey(SQLException e) {
        if (this == SQLITE) {
            // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067) are extended SQLITE_CONSTRAINT (19)
            String m = String.valueOf(e.getMessage());
            return (e.getErrorCode() & 0xff) == 19 && (m.contains("UNIQUE") || m.contains("PRIMARY KEY"));
        }
        return "23505".equals(e.getSQLState());
    }
}
