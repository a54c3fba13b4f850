package io.nacgw.loadgen;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.SerialNumber;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A deterministic set of synthetic devices: device {@code i} of seed {@code s} is always the same record, so a load
 * generator knows each device's class (and so its expected verdict) without reading the file. Identifiers are
 * realistic and unique: locally administered MACs (1-3 per device), valid-Luhn IMEIs on phones, serials, GUIDs.
 * Device names start with {@code SYN-} (or {@code DEMO-} for demo data) so nobody mistakes them for real ones.
 */
public final class SyntheticDevices {
    private final long seed;
    private final int count;
    private final double[] cumulative = new double[DeviceClass.values().length];
    private final String namePrefix;
    private final Instant now;

    /**
     * @param mix       share of each class; must sum to 1 (±0.001)
     * @param now       the time the set is made for: check-ins are recent, grace periods end a week later
     */
    public SyntheticDevices(long seed, int count, Map<DeviceClass, Double> mix, String namePrefix, Instant now) {
        if (count < 0) {
            throw new IllegalArgumentException("--count must not be negative");
        }
        this.seed = seed;
        this.count = count;
        this.namePrefix = namePrefix;
        this.now = now;
        double sum = 0;
        for (DeviceClass c : DeviceClass.values()) {
            double share = mix.getOrDefault(c, 0.0);
            if (share < 0) {
                throw new IllegalArgumentException("--mix: share of " + c.wireName() + " is negative");
            }
            sum += share;
            cumulative[c.ordinal()] = sum;
        }
        if (Math.abs(sum - 1.0) > 0.001) {
            throw new IllegalArgumentException("--mix shares must add up to 1, not " + sum);
        }
    }

    /** The default mix: 80% compliant, 10% noncompliant, 5% in grace, 5% unmanaged. */
    public static Map<DeviceClass, Double> defaultMix() {
        return parseMix("compliant=0.8,noncompliant=0.1,grace=0.05,unmanaged=0.05");
    }

    /** Parses {@code compliant=0.8,noncompliant=0.1,...}. */
    public static Map<DeviceClass, Double> parseMix(String text) {
        Map<DeviceClass, Double> m = new EnumMap<>(DeviceClass.class);
        for (String part : text.split(",")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--mix expects class=share pairs, got '" + part + "'");
            }
            try {
                m.put(DeviceClass.fromWire(kv[0]), Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: '" + kv[1] + "' is not a number");
            }
        }
        return m;
    }

    public int count() {
        return count;
    }

    private SplittableRandom random(int i) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    }

    /** The class of device {@code i}. */
    public DeviceClass classOf(int i) {
        double u = random(i).nextDouble();
        for (DeviceClass c : DeviceClass.values()) {
            if (u < cumulative[c.ordinal()]) {
                return c;
            }
        }
        return DeviceClass.COMPLIANT;
    }

    /** The first MAC of device {@code i}: what a load generator sends as Calling-Station-Id. */
    public MacAddress primaryMac(int i) {
        return MacAddress.of(macBase() + (long) i * 4);
    }

    private long macBase() {
        // locally administered unicast (0x02), one seed-derived byte, then 4 MAC slots per device (2^30 devices)
        return (0x02L << 40) | ((seed & 0xFFL) << 32);
    }

    /** A MAC that belongs to no device of this set (for "unknown device" traffic). */
    public MacAddress unknownMac(int i) {
        return MacAddress.of(macBase() + (long) i * 4 + 3);
    }

    /** Device {@code i} (0 ≤ i < count). */
    public DeviceRecord device(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        SplittableRandom r = random(i);
        r.nextDouble(); // the class draw
        DeviceClass cls = classOf(i);
        Platform platform = pick(r.nextInt(100));
        DeviceRecord.Builder b = DeviceRecord.builder()
                .deviceId(DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(r.nextLong(), r.nextLong())))
                .entraId(DeviceGuid.of(IdentifierKind.ENTRA_ID, new UUID(r.nextLong(), r.nextLong())))
                .deviceName(namePrefix + String.format("%07d", i))
                .userPrincipalName("user" + (i % 50_000) + "@synthetic.nacgw.invalid")
                .platform(platform).osVersion(osVersion(platform, r.nextInt(3)))
                .model(model(platform)).manufacturer(manufacturer(platform))
                .ownership(r.nextInt(10) < 8 ? Ownership.CORPORATE : Ownership.PERSONAL)
                .threatLevel(r.nextInt(10) < 7 ? ThreatLevel.SECURED : ThreatLevel.LOW)
                .encrypted(true)
                .serial(SerialNumber.parse("SYN" + Long.toString(seed & 0xFFFF, 36).toUpperCase() + "X" + i))
                .lastCheckIn(now.minus(Duration.ofMinutes(1 + r.nextInt(8 * 60))))
                .lastModified(now.minus(Duration.ofMinutes(r.nextInt(60))));
        int macs = 1 + r.nextInt(3);
        for (int j = 0; j < macs; j++) {
            b.addMac(MacAddress.of(macBase() + (long) i * 4 + j));
        }
        if (platform == Platform.IOS || platform == Platform.ANDROID) {
            long first14 = 35_000_000_000_000L + (seed & 0xFF) * 1_000_000_000L + i;
            b.imei(Imei.parse(first14 + "" + Imei.luhnCheckDigit(first14)));
        }
        switch (cls) {
            case COMPLIANT:
                b.managementState(ManagementState.MANAGED).complianceState(ComplianceState.COMPLIANT);
                break;
            case NONCOMPLIANT:
                b.managementState(ManagementState.MANAGED).complianceState(ComplianceState.NONCOMPLIANT);
                break;
            case GRACE:
                b.managementState(ManagementState.MANAGED).complianceState(ComplianceState.IN_GRACE_PERIOD)
                        .graceExpiry(now.plus(Duration.ofDays(7)));
                break;
            default:
                b.managementState(ManagementState.UNMANAGED).complianceState(ComplianceState.UNKNOWN);
        }
        return b.build();
    }

    private static Platform pick(int p) {
        return p < 40 ? Platform.WINDOWS : p < 55 ? Platform.MACOS : p < 80 ? Platform.IOS : Platform.ANDROID;
    }

    private static String osVersion(Platform p, int v) {
        switch (p) {
            case WINDOWS: return new String[]{"10.0.22631.4460", "10.0.26100.2314", "10.0.19045.5131"}[v];
            case MACOS: return new String[]{"15.1.1", "14.7.1", "15.2"}[v];
            case IOS: return new String[]{"18.1.1", "17.7.2", "18.2"}[v];
            default: return new String[]{"15", "14", "13"}[v];
        }
    }

    private static String model(Platform p) {
        switch (p) {
            case WINDOWS: return "Latitude 7440";
            case MACOS: return "MacBookPro18,3";
            case IOS: return "iPhone 15";
            default: return "Pixel 8";
        }
    }

    private static String manufacturer(Platform p) {
        switch (p) {
            case WINDOWS: return "Dell Inc.";
            case MACOS: case IOS: return "Apple";
            default: return "Google";
        }
    }
}
