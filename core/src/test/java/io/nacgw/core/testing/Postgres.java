package io.nacgw.core.testing;

import io.nacgw.core.store.StoreSettings;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test PostgreSQL server (127.0.0.1:5432, database {@code test}, trust auth; override with NACGW_TEST_PG_URL and
 * NACGW_TEST_PG_USER), as a JUnit extension that hands out fresh schemas and drops them after each test:
 * <pre>
 * {@literal @}RegisterExtension
 * final Postgres pg = new Postgres();
 * ... ComplianceStore.open(pg.freshSchema()) ...
 * </pre>
 * A missing server skips the test outside CI and fails it with CI=true ({@link Needs}).
 */
public final class Postgres implements AfterEachCallback {
    /** Prefix of every schema a test creates (so a leak is easy to find: {@code \dn nacgw_t*}). */
    public static final String SCHEMA_PREFIX = "nacgw_t";
    private final List<String> schemas = new ArrayList<>();

    /** Base URL of the test database. */
    public static String url() {
        String u = System.getenv("NACGW_TEST_PG_URL");
        return u != null ? u : "jdbc:postgresql://127.0.0.1:5432/test";
    }

    /** The database user of the test database. */
    public static String user() {
        return System.getenv().getOrDefault("NACGW_TEST_PG_USER", "postgres");
    }

    /** Settings for a fresh schema of its own in the test database, dropped after the test. */
    public synchronized StoreSettings freshSchema() {
        String schema = SCHEMA_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        execute("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return new StoreSettings(url() + "?currentSchema=" + schema, user(), "", 4);
    }

    /** Drops every schema this instance created (stores on them should be closed first). */
    public synchronized void dropSchemas() {
        try {
            for (String schema : schemas) {
                execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } finally {
            schemas.clear();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        dropSchemas();
    }

    /** Runs one statement on the test database (a missing server skips or fails the test per {@link Needs}). */
    public static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url(), user(), "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw Needs.missing("PostgreSQL at " + url() + " (" + e.getMessage() + ")");
        }
    }
}
