package io.nacgw.gateway.cli;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Explanation;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.gateway.imports.DeviceImporter;
import io.nacgw.nacapi.DeviceJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code nacgw devices ...}: import, inspect and explain device records in the store. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "Import, show and explain devices.",
        subcommands = {DevicesCommand.Import.class, DevicesCommand.Get.class, DevicesCommand.Explain.class})
public final class DevicesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the store for an import: the embedded store and its data directory are created when missing. */
    static ComplianceStore openStore(NacgwConfig c) {
        io.nacgw.gateway.Gateway.createDataDir(c.dataDir());
        return ComplianceStore.open(c.store().settings(c.dataDir()));
    }

    /**
     * Opens an existing store for reading: a mistyped {@code --data-dir} must be an error, not a new empty store
     * that answers "no device".
     */
    static ComplianceStore openExistingStore(NacgwConfig c) {
        if (c.store().url().isEmpty() && !java.nio.file.Files.isDirectory(c.dataDir())) {
            throw new IllegalArgumentException("data directory " + c.dataDir() + " does not exist (is --data-dir or"
                    + " dataDir in the config right? 'nacgw run' creates it)");
        }
        return ComplianceStore.open(c.store().settings(c.dataDir()));
    }

    static Optional<DeviceRecord> find(ComplianceStore store, String text, String kind) {
        for (DeviceIdentifier id : io.nacgw.core.id.Identifiers.candidates(text, kind)) {
            List<DeviceRecord> found = store.find(id);
            if (!found.isEmpty()) {
                return found.stream().reduce((a, b) -> b.lastModifiedEpochMilli() > a.lastModifiedEpochMilli() ? b : a);
            }
        }
        return Optional.empty();
    }

    /** {@code nacgw devices import FILE}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import devices from JSON lines (one device object per line) or CSV (header row of the same "
                    + "field names; MACs separated by ';'). Streams the file, so any size imports in constant memory. "
                    + "Bad lines are reported with their line number and skipped, unless --strict.")
    public static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "FILE", description = "Device file (.jsonl/.json or .csv).")
        Path file;
        @Option(names = "--format", description = "jsonl or csv (default: from the file name).")
        DeviceImporter.Format format;
        @Option(names = "--strict", description = "Check the whole file first; import nothing if any line is bad.")
        boolean strict;
        @Option(names = "--batch-size", defaultValue = "5000", description = "Devices per transaction (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
            NacgwConfig c = options.load(out, false);
            long[] shown = {0};
            long started = System.nanoTime();
            DeviceImporter.Result r;
            try (ComplianceStore store = openStore(c)) {
                DeviceImporter importer = new DeviceImporter(store::upsertAll, batchSize, Clock.systemUTC());
                long[] nextReport = {100_000};
                r = importer.importFile(file, format != null ? format : DeviceImporter.Format.of(file), strict, e -> {
                    if (shown[0]++ < 100) {
                        err.println(e);
                    }
                }, p -> {
                    if (p.records() >= nextReport[0]) {
                        out.printf("... %d records%n", p.records());
                        out.flush();
                        nextReport[0] += 100_000;
                    }
                });
            }
            if (shown[0] > 100) {
                err.println("(" + (shown[0] - 100) + " more bad records not shown)");
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (r.aborted()) {
                err.printf("--strict: %d bad of %d records; nothing imported%n", r.bad(), r.records());
                return 1;
            }
            out.printf("imported %s: %d records, %d inserted, %d updated, %d stale (store had newer), %d bad, in %d ms%n",
                    file, r.records(), r.inserted(), r.updated(), r.stale(), r.bad(), ms);
            return r.bad() > 0 ? 1 : 0;
        }
    }

    /** {@code nacgw devices get ID}. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show a device, found by any identifier (MAC, Intune or Entra id, IMEI, MEID, UDID, serial).")
    public static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "IDENTIFIER")
        String identifier;
        @Option(names = "--kind", description = "mac, deviceId, entraId, imei, meid, udid or serial (default: guess).")
        String kind;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            try (ComplianceStore store = openExistingStore(c)) {
                Optional<DeviceRecord> r = find(store, identifier, kind);
                if (r.isEmpty()) {
                    spec.commandLine().getErr().println("nacgw: no device with identifier '" + identifier + "'");
                    return 1;
                }
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(DeviceJson.toJson(r.get()))));
                return 0;
            }
        }
    }

    /** {@code nacgw devices explain ID --profile P}. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show the decision for a device on a profile and every rule that was evaluated, in words. "
                    + "An unknown identifier is explained too (as an unknown device).")
    public static final class Explain implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "IDENTIFIER")
        String identifier;
        @Option(names = {"-p", "--profile"}, description = "Profile (network) to decide for (default: policy.defaultProfile).")
        String profile;
        @Option(names = "--kind", description = "mac, deviceId, entraId, imei, meid, udid or serial (default: guess).")
        String kind;
        @Option(names = "--at", description = "Decide as of this ISO-8601 instant (default: now).")
        Instant at;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            AccessPolicy policy = c.policy().toAccessPolicy();
            Profile p = profile == null ? policy.defaultProfile() : policy.profile(profile);
            try (ComplianceStore store = openExistingStore(c)) {
                DeviceRecord r = find(store, identifier, kind).orElse(null);
                Explanation x = p.explain(r, at != null ? at : Instant.now());
                out.print(x.render());
                out.flush();
                return 0;
            }
        }
    }
}
