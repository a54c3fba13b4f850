package io.nacgw.nacapi.console;

/**
 * Reads top-level string fields out of one audit line without a JSON parser (the recent-decisions filter looks at
 * up to {@code api.console.recentDecisions} lines per query): the audit writer emits flat objects whose string
 * values are JSON-escaped, so the first {@code "name":} is the field. The nested {@code identifiers} object comes
 * after the fields read here.
 */
final class AuditLines {
    private AuditLines() {
    }

    /** The unescaped string value of {@code name}, or null when absent or JSON null. */
    static String string(String line, String name) {
        int at = valueStart(line, name);
        if (at < 0 || at >= line.length() || line.charAt(at) != '"') {
            return null;
        }
        StringBuilder sb = null;
        for (int i = at + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return sb == null ? line.substring(at + 1, i) : sb.toString();
            }
            if (c == '\\' && i + 1 < line.length()) {
                if (sb == null) {
                    sb = new StringBuilder(line.substring(at + 1, i));
                }
                char e = line.charAt(++i);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u':
                        if (i + 4 < line.length()) {
                            try {
                                sb.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
                            } catch (NumberFormatException ex) {
                                return null;
                            }
                            i += 4;
                        }
                        break;
                    default: sb.append(e);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return null; // unterminated
    }

    private static int valueStart(String line, String name) {
        String key = "\"" + name + "\":";
        int i = line.indexOf(key);
        return i < 0 ? -1 : i + key.length();
    }
}
