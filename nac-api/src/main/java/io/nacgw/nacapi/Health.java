package io.nacgw.nacapi;

import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /health} says: {@code up} (200), {@code degraded} (200: answering, but something is wrong, e.g.
 * the store is unreachable so writes are refused while lookups are answered from memory) or {@code down} (503),
 * with each check that led to it.
 *
 * @param state  the verdict: the worst of the checks
 * @param reason why it is not up (empty when up): the details of the checks that are not up
 * @param checks each check, in order (may be empty)
 */
public record Health(State state, String reason, List<Check> checks) {
    public static final Health UP = new Health(State.UP, "", List.of());

    public enum State { UP, DEGRADED, DOWN }

    /**
     * One check.
     *
     * @param name   e.g. {@code store}, {@code changeLog}, {@code radius}
     * @param state  its verdict
     * @param detail what was seen, in words
     */
    public record Check(String name, State state, String detail) {
        public Check {
            detail = detail == null ? "" : detail;
        }

        public static Check up(String name, String detail) {
            return new Check(name, State.UP, detail);
        }

        public static Check degraded(String name, String detail) {
            return new Check(name, State.DEGRADED, detail);
        }

        public static Check down(String name, String detail) {
            return new Check(name, State.DOWN, detail);
        }
    }

    public Health {
        reason = reason == null ? "" : reason;
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public Health(State state, String reason) {
        this(state, reason, List.of());
    }

    public static Health degraded(String reason) {
        return new Health(State.DEGRADED, reason);
    }

    public static Health down(String reason) {
        return new Health(State.DOWN, reason);
    }

    /** The verdict of {@code checks}: the worst state, with the details of those not up (joined by "; "). */
    public static Health of(List<Check> checks) {
        State worst = State.UP;
        StringBuilder reason = new StringBuilder();
        for (Check c : checks) {
            if (c.state().ordinal() > worst.ordinal()) {
                worst = c.state();
            }
            if (c.state() != State.UP) {
                reason.append(reason.length() == 0 ? "" : "; ").append(c.name()).append(": ").append(c.detail());
            }
        }
        return new Health(worst, reason.toString(), checks);
    }

    /** The JSON body of {@code /health}. */
    String json() {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(lower(state)).append('"');
        if (!reason.isEmpty()) {
            b.append(",\"reason\":");
            string(b, reason);
        }
        if (!checks.isEmpty()) {
            b.append(",\"checks\":{");
            for (int i = 0; i < checks.size(); i++) {
                Check c = checks.get(i);
                b.append(i == 0 ? "" : ",");
                string(b, c.name());
                b.append(":{\"status\":\"").append(lower(c.state())).append("\",\"detail\":");
                string(b, c.detail());
                b.append('}');
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    private static String lower(State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
