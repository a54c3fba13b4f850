package io.nacgw.gateway;

import io.nacgw.core.files.OwnerOnly;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.sessions.SessionListing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;

/**
 * Backup and restore of the embedded store: {@code nacgw store backup FILE} (online through the running gateway's
 * operations port, {@code POST /store/backup?file=}, or directly on a stopped store) and {@code nacgw store restore
 * FILE} (only while no gateway runs on the data directory). A shared PostgreSQL store is backed up with its own tools
 * ({@code pg_dump}); both commands refuse it, saying so.
 */
public final class StoreFiles {
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private StoreFiles() {
    }

    /** The operations endpoint: writes a backup of the running store to the absolute path {@code file=}. */
    static Map<String, MetricsServer.Operation> endpoints(ComplianceStore store) {
        return Map.of("/store/backup", (method, query) -> {
            if (!method.equals("POST")) {
                return DeviceOperations.error(405, "use POST");
            }
            String file = SessionListing.parseQuery(query).get("file");
            if (file == null || !Path.of(file).isAbsolute()) {
                return DeviceOperations.error(400, "file must be an absolute path (the gateway's working directory"
                        + " is not the caller's)");
            }
            try {
                store.backupTo(Path.of(file));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return DeviceOperations.error(400, e.getMessage());
            } catch (RuntimeException e) {
                return DeviceOperations.error(500, "backup failed: " + e.getMessage());
            }
            return new MetricsServer.Reply(200, "{\"file\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(file)
                    + "}");
        });
    }

    /** Refuses a shared store, naming the tool to use instead. */
    public static void requireEmbedded(NacgwConfig c, String what) {
        if (c.store().settings(c.dataDir()).isPostgres()) {
            throw new IllegalArgumentException("the store is PostgreSQL (store.url): " + what + " it with pg_dump / "
                    + "pg_restore (see the README, 'Backup, restore and upgrade')");
        }
    }

    /** A backup of a stopped store, opened directly. */
    public static void backupStopped(NacgwConfig c, Path file) {
        requireEmbedded(c, "back up");
        if (!Files.isRegularFile(c.dataDir().resolve(StoreSettings.EMBEDDED_FILE)) && c.store().url().isEmpty()) {
            throw new IllegalArgumentException("no store in " + c.dataDir() + " (is --data-dir right?)");
        }
        try (ComplianceStore store = ComplianceStore.open(c.store().settings(c.dataDir()))) {
            store.backupTo(file);
        }
    }

    /**
     * Replaces the embedded store with the backup {@code file}: checked first (an SQLite file holding a nacgw store,
     * migrated to this version's schema), then swapped in; the replaced store is kept beside it. Holds the data
     * directory's lock throughout, so no gateway starts meanwhile. Returns a one-line summary.
     */
    @SuppressWarnings("try") // the data directory lock is held for the block, never read in it
    public static String restore(NacgwConfig c, Path file, Clock clock) {
        requireEmbedded(c, "restore");
        if (!c.store().url().isEmpty()) {
            throw new IllegalArgumentException("store.url names the database file; restore copies to "
                    + c.dataDir().resolve(StoreSettings.EMBEDDED_FILE) + " only: remove store.url or copy the file by hand");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such backup file: " + file);
        }
        requireSqlite(file);
        if (DataDirLock.isHeld(c.dataDir())) {
            throw new IllegalStateException("a gateway is running on " + c.dataDir() + ": stop it first (restore"
                    + " replaces the store it has open)");
        }
        Gateway.createDataDir(c.dataDir());
        try (DataDirLock lock = DataDirLock.acquire(c.dataDir())) {
            Path staging = c.dataDir().resolve("restore-staging");
            deleteStore(staging);
            OwnerOnly.createDirectories(staging);
            Path staged = staging.resolve(StoreSettings.EMBEDDED_FILE);
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
            OwnerOnly.restrictFile(staged);
            long devices;
            try (ComplianceStore check = ComplianceStore.open(StoreSettings.embedded(staging))) {
                devices = check.count(); // and migrated to this version's schema
            } catch (RuntimeException e) {
                deleteStore(staging);
                throw new IllegalArgumentException(file + " is not a nacgw store backup: " + e.getMessage(), e);
            }
            Path live = c.dataDir().resolve(StoreSettings.EMBEDDED_FILE);
            String kept = null;
            if (Files.exists(live)) {
                Path aside = c.dataDir().resolve(StoreSettings.EMBEDDED_FILE + ".before-restore-" + STAMP.format(clock.instant()));
                Files.move(live, aside);
                for (String suffix : new String[]{"-wal", "-shm"}) {
                    Path side = live.resolveSibling(live.getFileName() + suffix);
                    if (Files.exists(side)) {
                        Files.move(side, aside.resolveSibling(aside.getFileName() + suffix));
                    }
                }
                kept = aside.toString();
            }
            Files.move(staged, live);
            deleteStore(staging);
            return "restored " + devices + " devices from " + file + " into " + live
                    + (kept == null ? "" : "; the replaced store is kept as " + kept);
        } catch (IOException e) {
            throw new IllegalStateException("restore failed: " + e.getMessage(), e);
        }
    }

    private static void requireSqlite(Path file) {
        byte[] head = new byte[SQLITE_HEADER.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !Arrays.equals(head, SQLITE_HEADER)) {
                throw new IllegalArgumentException(file + " is not an SQLite database (a `nacgw store backup` file)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteStore(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
