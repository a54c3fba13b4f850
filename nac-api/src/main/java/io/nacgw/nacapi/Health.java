package io.nacgw.nacapi;

/**
 * What {@code GET /health} says: {@code up} (200), {@code degraded} (200: answering, but something is wrong, e.g.
 * the store is unreachable so writes are refused while lookups are answered from memory) or {@code down} (503).
 *
 * @param state  the verdict
 * @param reason why it is not up (empty when up)
 */
public record Health(State state, String reason) {
    public static final Health UP = new Health(State.UP, "");

    public enum State { UP, DEGRADED, DOWN }

    public Health {
        reason = reason == null ? "" : reason;
    }

    public static Health degraded(String reason) {
        return new Health(State.DEGRADED, reason);
    }

    public static Health down(String reason) {
        return new Health(State.DOWN, reason);
    }

    /** The JSON body of {@code /health}. */
    String json() {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(state.name().toLowerCase(java.util.Locale.ROOT)).append('"');
        if (!reason.isEmpty()) {
            b.append(",\"reason\":\"");
            for (char c : reason.toCharArray()) {
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
        return b.append('}').toString();
    }
}
