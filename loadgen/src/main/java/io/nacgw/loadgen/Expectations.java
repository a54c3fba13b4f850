package io.nacgw.loadgen;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The expected answer for each {@link TargetClass}. Presets name the policies the benchmarks use:
 * <ul>
 *   <li>{@code corp-wifi} (nacgw's default profile): compliant and grace → Accept on VLAN 100; noncompliant,
 *       unmanaged and unknown → Accept on the quarantine VLAN 999.</li>
 *   <li>{@code allowlist} (FreeRADIUS with an rlm_files list, or a nacgw profile that denies instead of
 *       quarantining): compliant and grace → Accept on VLAN 100; everything else → Reject.</li>
 * </ul>
 * Grace counts as compliant (Intune's inGracePeriod still has access). Per-class overrides follow the preset.
 */
public final class Expectations {
    private final Map<TargetClass, Expected> map;

    private Expectations(Map<TargetClass, Expected> map) {
        this.map = new EnumMap<>(map);
        for (TargetClass c : TargetClass.values()) {
            if (!this.map.containsKey(c)) {
                throw new IllegalArgumentException("no expectation for " + c.wireName());
            }
        }
    }

    /** A named preset: {@code corp-wifi} or {@code allowlist}. */
    public static Expectations preset(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "corp-wifi":
                return of(Expected.acceptVlan("100"), Expected.acceptVlan("999"));
            case "allowlist":
                return of(Expected.acceptVlan("100"), Expected.REJECT);
            default:
                throw new IllegalArgumentException("unknown expectation profile '" + name + "' (corp-wifi, allowlist)");
        }
    }

    /** Compliant and grace get {@code allowed}; noncompliant, unmanaged and unknown get {@code others}. */
    public static Expectations of(Expected allowed, Expected others) {
        Map<TargetClass, Expected> m = new EnumMap<>(TargetClass.class);
        m.put(TargetClass.COMPLIANT, allowed);
        m.put(TargetClass.GRACE, allowed);
        m.put(TargetClass.NONCOMPLIANT, others);
        m.put(TargetClass.UNMANAGED, others);
        m.put(TargetClass.UNKNOWN, others);
        return new Expectations(m);
    }

    /** A copy with one class's expectation replaced. */
    public Expectations with(TargetClass c, Expected e) {
        Map<TargetClass, Expected> m = new EnumMap<>(map);
        m.put(c, e);
        return new Expectations(m);
    }

    /** A copy where compliant and grace devices are expected as {@code e}. */
    public Expectations withAllowed(Expected e) {
        return with(TargetClass.COMPLIANT, e).with(TargetClass.GRACE, e);
    }

    /** A copy where noncompliant, unmanaged and unknown devices are expected as {@code e}. */
    public Expectations withOthers(Expected e) {
        return with(TargetClass.NONCOMPLIANT, e).with(TargetClass.UNMANAGED, e).with(TargetClass.UNKNOWN, e);
    }

    public Expected of(TargetClass c) {
        return map.get(c);
    }

    /** {@code compliant=accept:100, grace=accept:100, ...}: printed in the report so a reader knows what was checked. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<TargetClass, Expected> e : map.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey().wireName()).append('=').append(e.getValue());
        }
        return b.toString();
    }
}
