package io.nacgw.loadgen;

import java.util.Objects;

/**
 * The answer expected for one class of device: {@code reject}, {@code accept} (any VLAN or none) or
 * {@code accept:VLAN} (an Access-Accept whose Tunnel-Private-Group-Id is exactly VLAN).
 */
public record Expected(boolean accept, String vlan) {
    public static final Expected REJECT = new Expected(false, null);
    public static final Expected ACCEPT_ANY = new Expected(true, null);

    public Expected {
        if (!accept && vlan != null) {
            throw new IllegalArgumentException("a reject has no VLAN");
        }
        if (vlan != null && vlan.isBlank()) {
            throw new IllegalArgumentException("VLAN must not be blank");
        }
    }

    public static Expected acceptVlan(String vlan) {
        return new Expected(true, Objects.requireNonNull(vlan, "vlan"));
    }

    /** Parses {@code reject}, {@code accept} or {@code accept:VLAN}. */
    public static Expected parse(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("reject")) {
            return REJECT;
        }
        if (t.equalsIgnoreCase("accept")) {
            return ACCEPT_ANY;
        }
        if (t.regionMatches(true, 0, "accept:", 0, 7) && t.length() > 7) {
            return acceptVlan(t.substring(7));
        }
        throw new IllegalArgumentException("expected 'reject', 'accept' or 'accept:VLAN', got '" + s + "'");
    }

    /** True when an answer with this code and VLAN (null: none) is what was expected. */
    public boolean matches(boolean accepted, String answeredVlan) {
        if (accepted != accept) {
            return false;
        }
        return vlan == null || vlan.equals(answeredVlan);
    }

    @Override
    public String toString() {
        return !accept ? "reject" : vlan == null ? "accept" : "accept:" + vlan;
    }
}
