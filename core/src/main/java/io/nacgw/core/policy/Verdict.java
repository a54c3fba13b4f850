package io.nacgw.core.policy;

/** The outcome of a decision, in increasing severity. */
public enum Verdict {
    ALLOW, QUARANTINE, DENY;

    private static final Verdict[] VALUES = values();

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The more severe of two verdicts. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    public static Verdict fromWire(String text) {
        return io.nacgw.core.device.WireNames.parse(VALUES, Verdict::wireName, "verdict", text, "reject=deny");
    }
}
