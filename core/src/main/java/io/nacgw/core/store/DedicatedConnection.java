package io.nacgw.core.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL connection of its own, outside the pool, for work that lives as long as the connection: LISTEN for
 * the change log, the session-level advisory lock of the sync leader. It shows in {@code pg_stat_activity} under
 * {@code applicationName}.
 */
public final class DedicatedConnection {
    private DedicatedConnection() {
    }

    /**
     * Opens it in auto-commit mode; {@code socketTimeoutSeconds} > 0 bounds every statement's wait for the server
     * (a silent network partition then fails the statement instead of hanging it).
     */
    public static Connection open(StoreSettings s, String applicationName, int socketTimeoutSeconds) throws SQLException {
        if (!s.isPostgres()) {
            throw new IllegalArgumentException("a dedicated connection needs a jdbc:postgresql: store");
        }
        Properties p = new Properties();
        p.setProperty("user", s.user());
        p.setProperty("password", s.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        if (socketTimeoutSeconds > 0) {
            p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        }
        Connection c = DriverManager.getConnection(s.jdbcUrl(), p);
        c.setAutoCommit(true);
        return c;
    }

    /** Closes {@code c} (null: nothing), ignoring the error of a connection that is already broken. */
    public static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken already
            }
        }
    }
}
