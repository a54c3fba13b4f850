package io.nacgw.radius.audit;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class JsonTextTest {

    private static final Map<Character, String> NAMED = Map.of('"', "\\\"", '\\', "\\\\", '\n', "\\n", '\r', "\\r",
            '\t', "\\t");

    /** How the audit log has always escaped one character: the format its readers rely on. */
    private static String expected(char c) {
        if (NAMED.containsKey(c)) {
            return NAMED.get(c);
        }
        boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
        return control ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String reference(String s) {
        return s.chars().mapToObj(c -> expected((char) c)).collect(Collectors.joining("", "\"", "\""));
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder();
        JsonText.str(sb, s);
        return sb.toString();
    }

    @Test
    void str_everyCharacter_atStartMiddleAndEnd_asTheReferenceEscapesIt() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String ch = String.valueOf((char) c);
            String name = "U+" + Integer.toHexString(c);
            for (String s : new String[]{ch, ch + "ab", "ab" + ch + "cd", "abcd" + ch}) {
                assertEquals(reference(s), str(s), name);
            }
        }
    }

    @Test
    void str_plainAndMixedStrings() {
        assertEquals("\"00:11:22:33:44:55\"", str("00:11:22:33:44:55"));
        assertEquals("\"sw1 \\\"core\\\" \\u2028 é\"", str("sw1 \"core\" \u2028 é"));
        assertEquals("\"\"", str(""));
        assertEquals("null", str(null));
    }
}
