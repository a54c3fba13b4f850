package io.nacgw.gateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class StoreConfigTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1/nacgw";

    @Test
    void postgres_acceptsTheDefaultSyncNormal_refusesFull() {
        assertEquals("normal", new StoreConfig(PG, null, null, null, "normal", null, null, null, null).sync());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new StoreConfig(PG, null, null, null, "full", null, null, null, null)).getMessage().contains("store.sync"));
    }

    @Test
    void sessionPoolSize_followsMaxPoolSizeWithin2To8_unlessSet_andIsValidated(@org.junit.jupiter.api.io.TempDir
                                                                             java.nio.file.Path dir) {
        assertEquals(8, new StoreConfig(PG, null, null, null, null, null, null, null, null).sessionPoolSize());
        assertEquals(2, new StoreConfig(PG, null, null, 1, null, null, null, null, null).sessionPoolSize());
        assertEquals(8, new StoreConfig(PG, null, null, 32, null, null, null, null, null).sessionPoolSize());
        assertEquals(3, new StoreConfig(PG, null, null, 32, null, null, null, null, 3).sessionPoolSize());
        assertEquals(3, new StoreConfig("", null, null, 32, null, null, null, null, 3).settings(dir).sessionPoolSize());
        assertEquals(20, new StoreConfig(PG, null, null, 4, null, null, null, null, 20).settings(dir)
                .sessionPoolSize());
        for (int bad : new int[] {0, 65}) {
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> new StoreConfig(PG, null, null, null, null, null, null, null, bad)).getMessage()
                    .contains("store.sessionPoolSize must be 1 to 64"));
        }
    }

    @Test
    void changeLogKeys_defaultAndValidated() {
        StoreConfig d = new StoreConfig(PG, null, null, null, null, null, null, null, null);
        assertEquals(Duration.ofSeconds(1), d.changeLog().catchUpInterval());
        assertEquals(Duration.ofDays(1), d.changeLog().retention());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new StoreConfig(PG, null, null, null, null, Duration.ofMinutes(5), null, null, null)).getMessage()
                .contains("store.catchUpInterval"));
    }
}
