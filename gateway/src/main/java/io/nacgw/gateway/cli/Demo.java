package io.nacgw.gateway.cli;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.Verdict;
import io.nacgw.gateway.Gateway;
import io.nacgw.loadgen.DeviceClass;
import io.nacgw.loadgen.SyntheticDevices;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code run --demo}: seeds clearly marked synthetic devices once and shows a device for each verdict. */
final class Demo {
    static final int COUNT = 1000;
    static final long SEED = 42;

    private Demo() {
    }

    static void seedAndShow(Gateway gateway, PrintWriter out) {
        SyntheticDevices set = new SyntheticDevices(SEED, COUNT, SyntheticDevices.defaultMix(), "DEMO-", gateway.clock().instant());
        if (gateway.compliance().store().count() == 0) {
            List<DeviceRecord> all = new ArrayList<>(COUNT);
            for (int i = 0; i < COUNT; i++) {
                all.add(set.device(i));
            }
            gateway.compliance().upsertAll(all);
            out.println("demo: seeded " + COUNT + " synthetic devices (names DEMO-0000000...; delete the data directory to remove them)");
        }
        // one example per verdict, across the configured profiles (e.g. quarantine on Wi-Fi, deny on VPN)
        Map<Verdict, String> example = new EnumMap<>(Verdict.class);
        long now = gateway.clock().millis();
        for (String name : gateway.policy().names()) {
            Profile profile = gateway.policy().profile(name);
            for (int i = 0; i < COUNT && example.size() < Verdict.values().length; i++) {
                DeviceRecord d = gateway.compliance().findResident(set.primaryMac(i));
                if (d != null && set.classOf(i) != DeviceClass.GRACE) {
                    Decision dec = profile.decide(d, now);
                    example.putIfAbsent(dec.verdict(), set.primaryMac(i).toRfc3580() + " on profile " + name
                            + " (" + set.classOf(i).wireName() + ")");
                }
            }
        }
        out.println("demo: example devices:");
        for (Map.Entry<Verdict, String> e : example.entrySet()) {
            out.println("  " + e.getKey().wireName() + ": " + e.getValue());
        }
        out.flush();
    }
}
