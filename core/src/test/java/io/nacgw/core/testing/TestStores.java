package io.nacgw.core.testing;

import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Throw-away stores on the real embedded engine (a SQLite file in a fresh temporary directory, removed when the
 * test JVM exits), so tests of every module exercise the engine the gateway runs on (core test-jar).
 */
public final class TestStores {
    private TestStores() {
    }

    /** Settings of a fresh, empty embedded store with a pool of {@code maxPoolSize}. */
    public static StoreSettings fresh(int maxPoolSize) {
        try {
            Path dir = Files.createTempDirectory("nacgw-store-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return StoreSettings.embedded(dir, maxPoolSize, StoreSettings.Sync.NORMAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty embedded store (4 connections). */
    public static ComplianceStore freshStore() {
        return ComplianceStore.open(fresh(4));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
