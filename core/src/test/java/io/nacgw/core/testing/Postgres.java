package io.nacgw.core.testing;

import io.nacgw.core.store.StoreSettings;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test PostgreSQL server (127.0.0.1:5432, database {@code test}, trust auth; override with NACGW_TEST_PG_URL).
 * Outside CI a missing server skips the test; with CI=true it fails, because CI must test against a real one.
 */
public final class Postgres {
    private Postgres() {
    }

    /** Base URL of the test database. */
    public static String url() {
        String u = System.getenv("NACGW_TEST_PG_URL");
        return u != null ? u : "jdbc:postgresql://127.0.0.1:5432/test";
    }

    /** Settings for a fresh schema of its own in the test database. */
    public static StoreSettings freshSchema() {
        String schema = "nacgw_t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        String user = System.getenv().getOrDefault("NACGW_TEST_PG_USER", "postgres");
        try (Connection c = DriverManager.getConnection(url(), user, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("PostgreSQL at " + url() + " is required when CI=true: " + e.getMessage(), e);
            }
            Assumptions.abort("no PostgreSQL at " + url() + ": " + e.getMessage());
        }
        return new StoreSettings(url() + "?currentSchema=" + schema, user, "", 4);
    }
}
