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
        assertEquals("normal", new StoreConfig(PG, null, null, null, "normal", null, null, null).sync());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new StoreConfig(PG, null, null, null, "full", null, null, null)).getMessage().contains("store.sync"));
    }

    @Test
    void changeLogKeys_defaultAndValidated() {
        StoreConfig d = new StoreConfig(PG, null, null, null, null, null, null, null);
        assertEquals(Duration.ofSeconds(1), d.changeLog().catchUpInterval());
        assertEquals(Duration.ofDays(1), d.changeLog().retention());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new StoreConfig(PG, null, null, null, null, Duration.ofMinutes(5), null, null)).getMessage()
                .contains("store.catchUpInterval"));
    }
}
