package io.nacgw.loadgen;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.id.MacAddress;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The devices a run sends requests for, flattened into arrays so picking one costs nothing under load: each has a
 * primary MAC (what a NAS sends for MAB and in Cisco's mdm-tlv), a user principal name (VPN shape) and its class.
 * Unknown MACs come from a locally administered range that no device of the set uses.
 */
public final class Targets {
    private static final TargetClass[] CLASSES = TargetClass.values(); // values() copies the array on every call
    private final long[] macs;
    private final byte[] classes;
    private final String[] users;
    private final Set<Long> known;
    private final long unknownBase;

    private Targets(long[] macs, byte[] classes, String[] users, Set<Long> known, long unknownBase) {
        if (macs.length == 0) {
            throw new IllegalArgumentException("no devices to send requests for");
        }
        this.macs = macs;
        this.classes = classes;
        this.users = users;
        this.known = known;
        this.unknownBase = unknownBase;
    }

    /** Devices of a synthetic set: classes come from the set itself, no file needed. */
    public static Targets synthetic(SyntheticDevices set) {
        int n = set.count();
        long[] macs = new long[n];
        byte[] classes = new byte[n];
        String[] users = new String[n];
        for (int i = 0; i < n; i++) {
            macs[i] = toLong(set.primaryMac(i));
            classes[i] = (byte) TargetClass.of(set.classOf(i)).ordinal();
            users[i] = "user" + (i % 50_000) + "@synthetic.nacgw.invalid";
        }
        // the set's own unknownMac(i) slots (4i+3) are never a device MAC; walk them from a high index
        return new Targets(macs, classes, users, null, toLong(set.unknownMac(0)));
    }

    /** Devices read from an import file; the class is derived from management and compliance state. */
    public static Targets fromRecords(List<DeviceRecord> records) {
        int n = records.size();
        long[] macs = new long[n];
        byte[] classes = new byte[n];
        String[] users = new String[n];
        Set<Long> known = new HashSet<>(n * 2);
        int j = 0;
        for (DeviceRecord r : records) {
            if (r.macs().isEmpty()) {
                continue; // nothing a NAS could send for it
            }
            macs[j] = toLong(r.macs().get(0));
            classes[j] = (byte) classOf(r).ordinal();
            users[j] = r.userPrincipalName().orElse(null);
            for (MacAddress m : r.macs()) {
                known.add(toLong(m));
            }
            j++;
        }
        return new Targets(java.util.Arrays.copyOf(macs, j), java.util.Arrays.copyOf(classes, j),
                java.util.Arrays.copyOf(users, j), known, (0x0AL << 40) | 0x4E_4143_0000L);
    }

    /** The class a record belongs to, mirroring how {@link SyntheticDevices} builds each class. */
    public static TargetClass classOf(DeviceRecord r) {
        if (r.managementState() == ManagementState.UNMANAGED) {
            return TargetClass.UNMANAGED;
        }
        ComplianceState s = r.complianceState();
        if (s == ComplianceState.COMPLIANT) {
            return TargetClass.COMPLIANT;
        }
        if (s == ComplianceState.IN_GRACE_PERIOD) {
            return TargetClass.GRACE;
        }
        if (s == ComplianceState.NONCOMPLIANT) {
            return TargetClass.NONCOMPLIANT;
        }
        return TargetClass.UNMANAGED;
    }

    public int size() {
        return macs.length;
    }

    public long mac(int i) {
        return macs[i];
    }

    public TargetClass classOf(int i) {
        return CLASSES[classes[i]];
    }

    public String user(int i) {
        String u = users[i];
        return u != null ? u : "device" + i + "@synthetic.nacgw.invalid";
    }

    /** A MAC that belongs to no device: for synthetic sets slot 3 of a device's 4, for files a range checked against the file. */
    public long unknownMac(SplittableRandom r) {
        if (known == null) {
            return unknownBase + 4L * r.nextInt(1 << 24);
        }
        while (true) {
            long m = unknownBase + r.nextInt(1 << 24);
            if (!known.contains(m)) {
                return m;
            }
        }
    }

    static long toLong(MacAddress m) {
        return Long.parseLong(m.toHex12(), 16);
    }

    /** 12 lower-case hex digits, e.g. {@code 0211aabbccdd}: what a NAS sends as MAB User-Name and password. */
    public static String hex12(long mac) {
        String s = Long.toHexString(mac);
        return "000000000000".substring(s.length()) + s;
    }

    /** RFC 3580 form {@code 02-11-AA-BB-CC-DD}: what a NAS sends as Calling-Station-Id. */
    public static String rfc3580(long mac) {
        char[] c = new char[17];
        String h = hex12(mac);
        for (int i = 0, o = 0; i < 12; i += 2) {
            if (o > 0) {
                c[o++] = '-';
            }
            c[o++] = Character.toUpperCase(h.charAt(i));
            c[o++] = Character.toUpperCase(h.charAt(i + 1));
        }
        return new String(c);
    }
}
