package io.nacgw.core.device;

import java.util.Locale;
import java.util.function.Function;

/** Parses enum constants by their wire name (case-insensitive), with an error that lists the accepted names. */
public final class WireNames {
    private WireNames() {
    }

    /** Finds the constant whose wire name (or one of {@code aliases}, as "alias=wire") equals {@code text}. */
    public static <E extends Enum<E>> E parse(E[] values, Function<E, String> wire, String what, String text,
                                              String... aliases) {
        if (text != null) {
            for (E e : values) {
                if (wire.apply(e).equals(text)) { // the exact wire name, as the store keeps it: no folding
                    return e;
                }
            }
            String t = text.strip();
            for (E e : values) {
                if (wire.apply(e).equalsIgnoreCase(t)) {
                    return e;
                }
            }
            for (String alias : aliases) {
                int eq = alias.indexOf('=');
                if (alias.substring(0, eq).equalsIgnoreCase(t)) {
                    return parse(values, wire, what, alias.substring(eq + 1));
                }
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : values) {
            names.append(names.length() == 0 ? "" : ", ").append(wire.apply(e));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + (text == null ? "null"
                : text.length() > 40 ? text.substring(0, 40) + "..." : text) + "' (expected one of: " + names + ")");
    }

    /** Lower-camel wire name of an UPPER_SNAKE constant: IN_GRACE_PERIOD → inGracePeriod. */
    static String camel(Enum<?> e) {
        String[] parts = e.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }
}
