package io.nacgw.core.testing;

import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class PostgresTest {
    private static int schemasNamed(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(Postgres.url(), Postgres.user(), "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void dropSchemas_removesTheSchemaAndTheTablesInIt() throws Exception {
        Postgres pg = new Postgres();
        StoreSettings s = pg.freshSchema();
        String schema = s.jdbcUrl().substring(s.jdbcUrl().indexOf("currentSchema=") + "currentSchema=".length());
        assertTrue(schema.startsWith(Postgres.SCHEMA_PREFIX), schema);
        try (ComplianceStore store = ComplianceStore.open(s)) { // migrated: the schema now holds tables
            store.upsert(TestDevices.compliant(1).build());
        }
        assertEquals(1, schemasNamed(schema));
        pg.dropSchemas();
        assertEquals(0, schemasNamed(schema));
    }
}
