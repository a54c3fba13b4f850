package io.nacgw.gateway.cli;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.loadgen.DeviceClass;
import io.nacgw.loadgen.SyntheticDevices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nacgw loadtest ...}: synthetic devices and load generators. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, description = "Synthetic devices and load generators.",
        subcommands = {LoadtestCommand.Devices.class, RadiusLoadtest.class, ApiLoadtest.class})
final class LoadtestCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code nacgw loadtest devices}. */
    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "Write deterministic synthetic devices in the import format (JSON lines): the same seed "
                    + "always yields the same devices, so load generators know each device's expected verdict.")
    public static final class Devices implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--count", required = true, description = "Number of devices.")
        int count;
        @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--mix", description = "Shares per class, e.g. compliant=0.8,noncompliant=0.1,grace=0.05,unmanaged=0.05 (the default).")
        String mix;
        @Option(names = "--at", description = "Instant the devices are made for (default: now); fix it for reproducible files.")
        Instant at;
        @Option(names = "--out", required = true, description = "Output file (.jsonl).")
        Path out;
        @Option(names = "--allowlist-out", paramLabel = "FILE", description = "Also write every MAC (12 hex digits, one a "
                + "line) of the compliant and grace devices: the allow-list for a comparison server such as FreeRADIUS rlm_files.")
        Path allowlistOut;

        @Override
        public Integer call() throws Exception {
            Map<DeviceClass, Double> m = mix == null ? SyntheticDevices.defaultMix() : SyntheticDevices.parseMix(mix);
            SyntheticDevices set = new SyntheticDevices(seed, count, m, "SYN-", at != null ? at : Instant.now());
            Map<DeviceClass, Integer> classes = new EnumMap<>(DeviceClass.class);
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                 BufferedWriter allow = allowlistOut == null ? null : Files.newBufferedWriter(allowlistOut, StandardCharsets.UTF_8)) {
                for (int i = 0; i < count; i++) {
                    DeviceRecord d = set.device(i);
                    w.write(DeviceJson.toJson(d));
                    w.newLine();
                    DeviceClass c = set.classOf(i);
                    classes.merge(c, 1, Integer::sum);
                    if (allow != null && (c == DeviceClass.COMPLIANT || c == DeviceClass.GRACE)) {
                        for (MacAddress mac : d.macs()) {
                            allow.write(mac.toHex12());
                            allow.newLine();
                        }
                    }
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println("wrote " + count + " devices to " + out + " (seed " + seed + "): " + classes);
            return 0;
        }
    }
}
