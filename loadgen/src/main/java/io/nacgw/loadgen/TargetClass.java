package io.nacgw.loadgen;

import java.util.Locale;

/** What the load generator knows about the device behind a request: its synthetic class, or not in the set at all. */
public enum TargetClass {
    COMPLIANT, NONCOMPLIANT, GRACE, UNMANAGED, UNKNOWN;

    public static TargetClass of(DeviceClass c) {
        switch (c) {
            case COMPLIANT: return COMPLIANT;
            case NONCOMPLIANT: return NONCOMPLIANT;
            case GRACE: return GRACE;
            default: return UNMANAGED;
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
