package io.nacgw.radius.audit;

/** JSON string literals for audit lines (the writer builds lines by hand: it is on a hot path). */
final class JsonText {
    private JsonText() {
    }

    /**
     * Appends {@code s} as a JSON string, or {@code null}. A string with nothing to escape (nearly every one: NAS
     * names, MACs, reason codes) is appended whole; appending it a character at a time was most of the audit
     * writer's CPU time.
     */
    static void str(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        int n = s.length();
        int i = 0;
        while (i < n && plain(s.charAt(i))) {
            i++;
        }
        sb.append('"');
        if (i == n) {
            sb.append(s);
        } else {
            escaped(sb, s);
        }
        sb.append('"');
    }

    /** True for a character written as it is: not a quote, backslash, C0/C1 control or JavaScript line separator. */
    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && (c < 0x7F || (c > 0x9F && c != 0x2028 && c != 0x2029));
    }

    private static void escaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (plain(c)) {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
            }
        }
    }
}
