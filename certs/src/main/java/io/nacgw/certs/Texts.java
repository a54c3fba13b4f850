package io.nacgw.certs;

/** Small text helpers shared by the package: safe echoing of untrusted values. */
final class Texts {
    private Texts() {
    }

    /** Caps and escapes untrusted text (certificate fields, file content) so it cannot flood or forge a log line. */
    static String printable(String input) {
        return printable(input, 128);
    }

    /** As {@link #printable(String)} with a cap of {@code max} characters. */
    static String printable(String input, int max) {
        if (input == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(input.length(), max) + 3);
        for (int i = 0; i < input.length() && i < max; i++) {
            char c = input.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (input.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }
}
