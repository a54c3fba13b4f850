package io.nacgw.loadgen;

/** The kinds of synthetic device; each maps to a known compliance outcome. */
public enum DeviceClass {
    COMPLIANT("compliant"), NONCOMPLIANT("noncompliant"), GRACE("grace"), UNMANAGED("unmanaged");

    private final String wire;

    DeviceClass(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    public static DeviceClass fromWire(String s) {
        for (DeviceClass c : values()) {
            if (c.wire.equalsIgnoreCase(s.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown device class '" + s + "' (expected compliant, noncompliant, grace, unmanaged)");
    }
}
