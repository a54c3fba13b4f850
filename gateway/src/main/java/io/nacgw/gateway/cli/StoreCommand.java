package io.nacgw.gateway.cli;

import io.nacgw.gateway.DataDirLock;
import io.nacgw.gateway.StoreFiles;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code nacgw store backup|restore}: a consistent copy of the embedded store, and putting one back. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Back up or restore the embedded store (devices, sessions, sync state). PostgreSQL: pg_dump.",
        subcommands = {StoreCommand.Backup.class, StoreCommand.Restore.class})
final class StoreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Writes a consistent backup to {@code target}: through the running gateway (its operations port) when one runs
     * on the data directory, else directly from the stopped store.
     */
    static void backup(NacgwConfig c, Path target) throws Exception {
        StoreFiles.requireEmbedded(c, "back up");
        if (Files.exists(target)) {
            throw new IllegalArgumentException("backup file " + target + " exists already; choose a new name");
        }
        if (DevicesCommand.viaGateway(c)) {
            OpsClient.of(c).post("/store/backup" + OpsClient.query("file", target.toString()), Duration.ofMinutes(30))
                    .require(200, IllegalStateException::new);
        } else {
            StoreFiles.backupStopped(c, target);
        }
    }

    /** {@code nacgw store backup FILE}. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent copy of the store to FILE (SQLite VACUUM INTO), while the gateway runs "
                    + "(through its operations port; it keeps answering) or from a stopped store. FILE must not exist.")
    public static final class Backup implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            Path target = file.toAbsolutePath();
            backup(c, target);
            out.println("wrote a backup of the store to " + target + " (" + Files.size(target) + " bytes, owner-only)"
                    + (DataDirLock.isHeld(c.dataDir()) ? ", taken by the running gateway" : ""));
            out.flush();
            return 0;
        }
    }

    /** {@code nacgw store restore FILE}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Replace the store with a backup made by 'nacgw store backup' (migrated to this version's "
                    + "schema if older). The gateway must be stopped; the replaced store is kept beside it.")
    public static final class Restore implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            out.println(StoreFiles.restore(c, file, Clock.systemUTC()));
            out.flush();
            return 0;
        }
    }
}
