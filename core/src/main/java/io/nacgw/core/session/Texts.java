package io.nacgw.core.session;

/** Clipping of NAS-supplied text to what one RADIUS attribute (and a column) holds. */
final class Texts {
    static final int MAX = 253;

    private Texts() {
    }

    static String clip(String s) {
        return s == null || s.length() <= MAX ? s : s.substring(0, MAX);
    }
}
