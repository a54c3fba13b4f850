package io.nacgw.gateway.config;

import io.nacgw.core.service.ChangeLogSettings;
import io.nacgw.core.store.StoreSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code store:} where device records live.
 *
 * @param url          JDBC URL; empty means the embedded SQLite file {@code nacgw.db} in the data directory
 * @param user         database user
 * @param passwordFile file holding the database password (the env variable NACGW_STORE_PASSWORD also works)
 * @param maxPoolSize  pooled connections
 * @param sync         embedded store: {@code normal} (survives a crash of the process) or {@code full} (also a
 *                     power loss: every commit is flushed to the disk)
 * @param catchUpInterval PostgreSQL shared mode: longest wait between reads of the device change log
 * @param changeRetention PostgreSQL shared mode: age at which change-log entries are pruned
 * @param reloadBehind    PostgreSQL shared mode: a node more changes behind than this reloads every device instead
 * @param sessionPoolSize connections the session store adds to the pool; default: {@code maxPoolSize}, at least 2
 *                        and at most 8 ({@link StoreSettings#defaultSessionPoolSize})
 */
public record StoreConfig(String url, String user, Path passwordFile, Integer maxPoolSize, String sync,
                          Duration catchUpInterval, Duration changeRetention, Long reloadBehind,
                          Integer sessionPoolSize) {
    public StoreConfig {
        url = url == null ? "" : url.strip();
        user = user == null ? "" : user;
        maxPoolSize = maxPoolSize == null ? 8 : maxPoolSize;
        if (!url.isEmpty() && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store.url must be empty (the embedded SQLite file), jdbc:sqlite:FILE or "
                    + "jdbc:postgresql:..., got '" + url + "'");
        }
        if (sync != null) {
            sync = sync.strip().toLowerCase(java.util.Locale.ROOT);
            if (!sync.equals("normal") && !sync.equals("full")) {
                throw new IllegalArgumentException("store.sync must be normal or full, got '" + sync + "'");
            }
            // the default config says normal; only full (a flush per commit) is meaningless on PostgreSQL
            if (url.startsWith("jdbc:postgresql:") && sync.equals("full")) {
                throw new IllegalArgumentException("store.sync applies to the embedded store only; PostgreSQL commits "
                        + "follow its own synchronous_commit setting");
            }
        }
        if (maxPoolSize < 1 || maxPoolSize > 64) {
            throw new IllegalArgumentException("store.maxPoolSize must be 1 to 64, got " + maxPoolSize);
        }
        sessionPoolSize = sessionPoolSize == null ? StoreSettings.defaultSessionPoolSize(maxPoolSize) : sessionPoolSize;
        if (sessionPoolSize < 1 || sessionPoolSize > 64) {
            throw new IllegalArgumentException("store.sessionPoolSize must be 1 to 64, got " + sessionPoolSize);
        }
        catchUpInterval = catchUpInterval == null ? ChangeLogSettings.DEFAULTS.catchUpInterval() : catchUpInterval;
        changeRetention = changeRetention == null ? ChangeLogSettings.DEFAULTS.retention() : changeRetention;
        reloadBehind = reloadBehind == null ? ChangeLogSettings.DEFAULT_RELOAD_BEHIND : reloadBehind;
        new ChangeLogSettings(catchUpInterval, changeRetention, reloadBehind); // validates
    }

    /** How a node follows the change log of a shared (PostgreSQL) store. */
    public ChangeLogSettings changeLog() {
        return new ChangeLogSettings(catchUpInterval, changeRetention, reloadBehind);
    }

    static StoreConfig defaults() {
        return new StoreConfig(null, null, null, null, null, null, null, null, null);
    }

    /** Resolves the settings; the password comes from {@code passwordFile} or NACGW_STORE_PASSWORD. */
    public StoreSettings settings(Path dataDir) {
        StoreSettings.Sync syncMode = "full".equals(sync) ? StoreSettings.Sync.FULL : StoreSettings.Sync.NORMAL;
        if (url.isEmpty()) {
            return StoreSettings.embedded(dataDir, maxPoolSize, syncMode).withSessionPoolSize(sessionPoolSize);
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return new StoreSettings(url, "", "", maxPoolSize, syncMode, sessionPoolSize);
        }
        String password = System.getenv().getOrDefault("NACGW_STORE_PASSWORD", "");
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new ConfigException("store.passwordFile: cannot read " + passwordFile + ": " + e.getMessage(), e);
            }
        }
        return new StoreSettings(url, user, password, maxPoolSize, StoreSettings.Sync.NORMAL, sessionPoolSize);
    }
}
