package io.nacgw.gateway.cli;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.gateway.DeviceLookup;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.gateway.imports.DeviceImporter;
import io.nacgw.nacapi.json.DeviceJson;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code nacgw devices ...}: import, inspect and explain device records in the store. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "Import, show and explain devices.",
        subcommands = {DevicesCommand.Import.class, DevicesCommand.Export.class, DevicesCommand.Get.class,
                DevicesCommand.Explain.class})
final class DevicesCommand implements Runnable {
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

    /**
     * True when a gateway runs on this data directory: then read commands ask it through its operations port (the
     * embedded store belongs to it), and say so clearly when it has none.
     */
    static boolean viaGateway(NacgwConfig c) {
        if (!io.nacgw.gateway.DataDirLock.isHeld(c.dataDir())) {
            return false;
        }
        if (!c.metrics().enabled()) {
            throw new IllegalStateException("a gateway runs on " + c.dataDir() + " with metrics.enabled false, so it"
                    + " has no operations port to ask; enable it, or stop the gateway to read the store directly");
        }
        return true;
    }

    /** GETs an operations endpoint; the answer's {@code field}, or empty on 404; other errors throw with its text. */
    static Optional<String> ask(NacgwConfig c, String path, Map<String, String> params, String field) throws Exception {
        String[] pairs = params.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        OpsClient.Answer r = OpsClient.of(c).get(path + OpsClient.query(pairs));
        if (r.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(r.require(200, IllegalArgumentException::new).json().path(field).asText());
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

    /** {@code nacgw devices export [--out FILE]}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every device as JSON lines, the format 'devices import' reads (to standard output, or "
                    + "--out FILE created owner-only). While a gateway runs on the data directory, exports a consistent "
                    + "snapshot it takes (a temporary 'store backup').")
    public static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--out", paramLabel = "FILE", description = "Write here (must not exist) instead of standard output.")
        Path outFile;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            if (outFile != null && Files.exists(outFile)) {
                throw new IllegalArgumentException("--out " + outFile + " exists already; choose a new name");
            }
            boolean embedded = !c.store().settings(c.dataDir()).isPostgres();
            Path snapshot = null;
            long[] n = {0};
            try {
                ComplianceStore store;
                if (embedded && viaGateway(c)) {
                    snapshot = Files.createTempDirectory("nacgw-export");
                    StoreCommand.backup(c, snapshot.resolve(io.nacgw.core.store.StoreSettings.EMBEDDED_FILE));
                    store = ComplianceStore.open(io.nacgw.core.store.StoreSettings.embedded(snapshot));
                } else {
                    store = openExistingStore(c);
                }
                try (store) {
                    if (outFile == null) {
                        write(store, out, n);
                    } else {
                        try (java.io.Writer w = Files.newBufferedWriter(createOwnerOnly(outFile))) {
                            write(store, w, n);
                        }
                    }
                }
            } finally {
                if (snapshot != null) {
                    try (var files = Files.list(snapshot)) {
                        for (Path f : files.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(snapshot);
                }
            }
            PrintWriter report = outFile == null ? spec.commandLine().getErr() : out;
            report.println("exported " + n[0] + " devices" + (outFile == null ? "" : " to " + outFile));
            report.flush();
            return 0;
        }

        private static void write(ComplianceStore store, java.io.Writer w, long[] n) throws java.io.IOException {
            try {
                store.forEach(d -> {
                    try {
                        w.write(DeviceJson.toJson(d));
                        w.write('\n');
                        n[0]++;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
        }

        private static Path createOwnerOnly(Path f) throws java.io.IOException {
            io.nacgw.core.files.OwnerOnly.createFile(f);
            return f;
        }
    }

    /** {@code nacgw devices get ID}. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Show a device, found by any identifier (MAC, Intune or Entra id, IMEI, MEID, UDID, serial). "
                    + "While a gateway runs on the data directory, asks it through its operations port.")
    public static final class Get implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "IDENTIFIER")
        String identifier;
        @Option(names = "--kind", description = "mac, deviceId, entraId, imei, meid, udid or serial (default: guess).")
        String kind;

        private Map<String, String> params() {
            Map<String, String> q = new LinkedHashMap<>(Map.of("id", identifier));
            q.put("kind", kind);
            return q;
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NacgwConfig c = options.load(out, false);
            DeviceLookup.candidates(identifier, kind); // a typo is a usage error, running gateway or not
            Optional<String> shown;
            if (viaGateway(c)) {
                shown = ask(c, "/devices/get", params(), "device");
            } else {
                try (ComplianceStore store = openExistingStore(c)) {
                    shown = DeviceLookup.show(store, identifier, kind);
                }
            }
            if (shown.isEmpty()) {
                spec.commandLine().getErr().println("nacgw: no device with identifier '" + identifier + "'");
                return 1;
            }
            out.println(shown.get());
            return 0;
        }
    }

    /** {@code nacgw devices explain ID --profile P}. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show the decision for a device on a profile and every rule that was evaluated, in words. "
                    + "An unknown identifier is explained too (as an unknown device). While a gateway runs on the data "
                    + "directory, asks it (through its operations port), so the profiles it runs with decide.")
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
            DeviceLookup.candidates(identifier, kind);
            String text;
            if (viaGateway(c)) {
                Map<String, String> q = new LinkedHashMap<>(Map.of("id", identifier));
                q.put("kind", kind);
                q.put("profile", profile);
                q.put("at", at == null ? null : at.toString());
                text = ask(c, "/devices/explain", q, "explanation").orElseThrow();
            } else {
                AccessPolicy policy = c.policy().toAccessPolicy();
                try (ComplianceStore store = openExistingStore(c)) {
                    text = DeviceLookup.explain(store, policy, identifier, kind, profile, at != null ? at : Instant.now());
                }
            }
            out.print(text);
            out.flush();
            return 0;
        }
    }
}
