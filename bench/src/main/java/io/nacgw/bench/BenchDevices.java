package io.nacgw.bench;

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

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic devices for benchmarks: every one carries an Intune id, an Entra id, 1-3 MACs, a serial, a name, a UPN,
 * model, manufacturer and OS version; phones an IMEI. The same mix as the load generator's synthetic set.
 */
public final class BenchDevices {
    public static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private BenchDevices() {
    }

    public static MacAddress mac(int i) {
        return MacAddress.of((0x02L << 40) | ((long) i << 2));
    }

    public static DeviceRecord device(int i) {
        SplittableRandom r = new SplittableRandom(0x5EEDL * 31 + i);
        Platform p = Platform.values()[r.nextInt(4)];
        int cls = r.nextInt(100);
        DeviceRecord.Builder b = DeviceRecord.builder()
                .deviceId(DeviceGuid.of(IdentifierKind.INTUNE_ID, new UUID(r.nextLong(), r.nextLong())))
                .entraId(DeviceGuid.of(IdentifierKind.ENTRA_ID, new UUID(r.nextLong(), r.nextLong())))
                .deviceName(String.format("DESKTOP-%07d", i)).userPrincipalName("user" + (i % 50_000) + "@contoso.com")
                .platform(p).osVersion(p == Platform.WINDOWS ? "10.0.22631.4460" : "18.1.1")
                .model(p == Platform.WINDOWS ? "Latitude 7440" : "iPhone 15").manufacturer(p == Platform.WINDOWS ? "Dell Inc." : "Apple")
                .ownership(Ownership.CORPORATE).threatLevel(ThreatLevel.SECURED).encrypted(true)
                .managementState(cls < 95 ? ManagementState.MANAGED : ManagementState.UNMANAGED)
                .complianceState(cls < 80 ? ComplianceState.COMPLIANT : cls < 90 ? ComplianceState.NONCOMPLIANT
                        : ComplianceState.IN_GRACE_PERIOD).graceExpiry(NOW.plusSeconds(86_400))
                .serial(SerialNumber.parse("SN" + Integer.toString(i, 36).toUpperCase() + "X" + r.nextInt(1000)))
                .lastCheckIn(NOW.minusSeconds(r.nextInt(28_800))).lastModified(NOW.minusSeconds(r.nextInt(3600)));
        int macs = 1 + r.nextInt(3);
        for (int j = 0; j < macs; j++) {
            b.addMac(MacAddress.of(mac(i).value() + j));
        }
        if (p == Platform.IOS || p == Platform.ANDROID) {
            long first14 = 35_000_000_000_000L + i;
            b.imei(Imei.parse(first14 + "" + Imei.luhnCheckDigit(first14)));
        }
        return b.build();
    }
}
