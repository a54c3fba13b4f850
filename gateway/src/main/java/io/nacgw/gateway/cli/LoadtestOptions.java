package io.nacgw.gateway.cli;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.store.UpsertOutcome;
import io.nacgw.gateway.imports.DeviceImporter;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.Expected;
import io.nacgw.loadgen.SyntheticDevices;
import io.nacgw.loadgen.TargetClass;
import io.nacgw.loadgen.Targets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Options shared by the load generators: which devices to ask about, and what answer each class must get. */
final class LoadtestOptions {
    private LoadtestOptions() {
    }

    /** {@code --devices FILE | --count N [--seed S] [--mix ...]} and {@code --unknown}. */
    static final class Devices {
        @ArgGroup(exclusive = true, multiplicity = "1")
        DeviceSource devices;

        static final class DeviceSource {
            @Option(names = "--devices", paramLabel = "FILE", description = "Devices from an import file (.jsonl/.json/.csv), e.g. one written by 'loadtest devices'.")
            Path file;
            @Option(names = "--count", paramLabel = "N", description = "Synthetic devices 0..N-1 of --seed (same as 'loadtest devices --count N --seed S').")
            Integer count;
        }

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic set and of the request sequence (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--mix", description = "With --count: the class mix given to 'loadtest devices' (default its default).")
        String mix;
        @Option(names = "--unknown", defaultValue = "0.1", description = "Share of requests for MACs of no device (default ${DEFAULT-VALUE}).")
        double unknown;


        /** The devices to pick from: regenerated from the seed, or read from an import file. */
        Targets targets() throws IOException {
            if (devices.count != null) {
                return Targets.synthetic(synthetic());
            }
            return Targets.fromRecords(records());
        }

        private SyntheticDevices synthetic() {
            return new SyntheticDevices(seed, devices.count,
                    mix == null ? SyntheticDevices.defaultMix() : SyntheticDevices.parseMix(mix), "SYN-", Instant.now());
        }

        /** The device records themselves (EAP-TLS issues a certificate per device). */
        List<DeviceRecord> records() throws IOException {
            List<DeviceRecord> records = new ArrayList<>();
            if (devices.count != null) {
                SyntheticDevices set = synthetic();
                for (int i = 0; i < set.count(); i++) {
                    records.add(set.device(i));
                }
                return records;
            }
            DeviceImporter importer = new DeviceImporter(batch -> {
                records.addAll(batch);
                return Collections.nCopies(batch.size(), UpsertOutcome.INSERTED);
            }, 10_000, Clock.systemUTC());
            List<String> bad = new ArrayList<>();
            DeviceImporter.Result r = importer.importFile(devices.file, DeviceImporter.Format.of(devices.file), false, bad::add, x -> { });
            if (r.bad() > 0) {
                throw new IllegalArgumentException(devices.file + ": " + r.bad() + " bad record(s), first: " + bad.get(0));
            }
            return records;
        }
    }

    /** {@code --profile} and the {@code --expect-*} refinements. */
    /** How long to measure: {@code --duration} or {@code --requests} (exactly one). */
    static final class Length {
        @Option(names = "--duration", paramLabel = "D", description = "Measured time after the warm-up, e.g. 30s.")
        String duration;
        @Option(names = "--requests", paramLabel = "N", description = "Measured requests after the warm-up.")
        Long requests;

        /** The measured time, or null when counting requests. */
        java.time.Duration duration() {
            return duration == null ? null : io.nacgw.gateway.config.Durations.parse(duration);
        }

        /** The measured request count, or 0 when measuring time. */
        long requests() {
            return requests == null ? 0 : requests;
        }
    }

    static final class Expect {
        @Option(names = "--profile", defaultValue = "corp-wifi", description = "Expected answers: corp-wifi or allowlist (default ${DEFAULT-VALUE}).")
        String profile;
        @Option(names = "--expect-allow-vlan", paramLabel = "V", description = "Compliant and grace devices: Accept with VLAN V.")
        String allowVlan;
        @Option(names = "--expect-quarantine-vlan", paramLabel = "V", description = "Noncompliant, unmanaged and unknown devices: Accept with VLAN V.")
        String quarantineVlan;
        @Option(names = "--expect-others", paramLabel = "E", description = "Noncompliant, unmanaged and unknown devices: reject, accept or accept:VLAN.")
        String others;
        @Option(names = "--expect-compliant", paramLabel = "E", description = "reject, accept or accept:VLAN.")
        String compliant;
        @Option(names = "--expect-grace", paramLabel = "E", description = "reject, accept or accept:VLAN.")
        String grace;
        @Option(names = "--expect-noncompliant", paramLabel = "E", description = "reject, accept or accept:VLAN.")
        String noncompliant;
        @Option(names = "--expect-unmanaged", paramLabel = "E", description = "reject, accept or accept:VLAN.")
        String unmanaged;
        @Option(names = "--expect-unknown", paramLabel = "E", description = "reject, accept or accept:VLAN.")
        String unknownDevice;


        Expectations expectations() {
            Expectations e = Expectations.preset(profile);
            if (allowVlan != null) {
                e = e.withAllowed(Expected.acceptVlan(allowVlan));
            }
            if (quarantineVlan != null) {
                e = e.withOthers(Expected.acceptVlan(quarantineVlan));
            }
            if (others != null) {
                e = e.withOthers(Expected.parse(others));
            }
            String[] perClass = {compliant, noncompliant, grace, unmanaged, unknownDevice};
            TargetClass[] classes = {TargetClass.COMPLIANT, TargetClass.NONCOMPLIANT, TargetClass.GRACE, TargetClass.UNMANAGED, TargetClass.UNKNOWN};
            for (int i = 0; i < classes.length; i++) {
                if (perClass[i] != null) {
                    e = e.with(classes[i], Expected.parse(perClass[i]));
                }
            }
            return e;
        }
    }
}
