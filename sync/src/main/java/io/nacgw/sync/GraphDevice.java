package io.nacgw.sync;

/**
 * One {@code managedDevice} object as read from a page: the raw text of each mapped property (booleans as
 * {@code "true"}/{@code "false"}, JSON null as null). Reused for every device of a page to keep parsing
 * allocation-light.
 */
final class GraphDevice {
    private final String[] values = new String[GraphField.VALUES.length];

    String get(GraphField f) {
        return values[f.ordinal()];
    }

    GraphDevice set(GraphField f, String value) {
        values[f.ordinal()] = value;
        return this;
    }

    void clear() {
        java.util.Arrays.fill(values, null);
    }
}
