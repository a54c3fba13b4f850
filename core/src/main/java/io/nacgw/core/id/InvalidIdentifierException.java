package io.nacgw.core.id;

/** Thrown when text cannot be parsed as an identifier of the expected kind; the message is fit for an operator. */
public final class InvalidIdentifierException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(IdentifierKind kind, String input, String why) {
        super("invalid " + kind.label() + " '" + printable(input) + "': " + why);
    }

    /** Caps and escapes the echoed input so a hostile value cannot flood or forge a log line. */
    static String printable(String input) {
        if (input == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(input.length(), 64));
        for (int i = 0; i < input.length() && i < 64; i++) {
            char c = input.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (input.length() > 64) {
            sb.append("...");
        }
        return sb.toString();
    }
}
