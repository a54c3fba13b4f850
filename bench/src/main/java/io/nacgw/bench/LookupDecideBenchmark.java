package io.nacgw.bench;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Decision;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The hot path of every RADIUS and HTTPS request: look a device up by MAC in the in-memory index and decide on a
 * profile. 10% of the MACs asked for are unknown, as in the RADIUS benchmark. Run single-threaded for "per core".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC"})
public class LookupDecideBenchmark {
    @Param({"1000000"})
    int devices;

    private ComplianceService service;
    private Profile profile;
    private MacAddress[] queries;
    /** The device index each query stands for, or -1 for an unknown MAC. */
    private int[] expected;

    @Setup(Level.Trial)
    public void setUp() {
        service = ComplianceService.start(new ListStore(devices, BenchDevices::device), IndexSettings.DEFAULTS);
        profile = Profile.builder("corp-wifi").noncompliant(Verdict.QUARANTINE).unknownDevice(Verdict.QUARANTINE)
                .allow(new ResponseAttributes("100", null, null, 28_800, null, null, null))
                .quarantine(new ResponseAttributes("999", "QUARANTINE", null, 300, null, null, null)).build();
        SplittableRandom r = new SplittableRandom(7);
        queries = new MacAddress[1 << 16];
        expected = new int[queries.length];
        for (int i = 0; i < queries.length; i++) {
            int d = r.nextInt(devices);
            queries[i] = r.nextInt(10) == 0 ? MacAddress.of(BenchDevices.mac(d).value() + 3) : BenchDevices.mac(d);
            expected[i] = queries[i].equals(BenchDevices.mac(d)) ? d : -1;
        }
        checkEveryAnswer();
    }

    /**
     * Before anything is timed, every query's answer is compared with the generator's own record: a known MAC must
     * come back as that device with the decision its record gives, an unknown one as no device with the profile's
     * unknown-device verdict. A wrong index fails the run instead of producing a fast, meaningless number.
     */
    private void checkEveryAnswer() {
        long now = BenchDevices.NOW.toEpochMilli();
        for (int i = 0; i < queries.length; i++) {
            Optional<DeviceRecord> found = service.lookup(queries[i]).join();
            DeviceRecord want = expected[i] < 0 ? null : BenchDevices.device(expected[i]);
            Decision got = profile.decide(found.orElse(null), now);
            Decision ref = profile.decide(want, now);
            if (found.isPresent() != (want != null) || got.verdict() != ref.verdict()
                    || (want != null && !found.get().deviceId().equals(want.deviceId()))) {
                throw new IllegalStateException("wrong answer for " + queries[i] + ": " + got.verdict()
                        + " (expected " + ref.verdict() + ")");
            }
        }
        System.out.println("# checked " + queries.length + " answers against the generator's records: all correct");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        service.close();
    }

    private int next;

    @Benchmark
    public Decision lookupAndDecide() {
        MacAddress mac = queries[next++ & (queries.length - 1)];
        Optional<DeviceRecord> d = service.lookup(mac).join();
        return profile.decide(d.orElse(null), BenchDevices.NOW.toEpochMilli());
    }

    @Benchmark
    public DeviceRecord lookupOnly() {
        return service.findResident(queries[next++ & (queries.length - 1)]);
    }

    @Benchmark
    public MacAddress parseMac() {
        return MacAddress.parse("AA-BB-CC-DD-EE-" + (next++ & 0xF) + "F");
    }
}
