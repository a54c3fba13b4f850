package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A minimal streaming JSON writer into a (pooled) buffer, used on the hot path instead of a tree model. Commas are
 * placed automatically; the caller keeps objects and arrays balanced.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final ByteBuf out;
    /** Bit i set: the container at depth i already holds a value, so the next one needs a comma. */
    private long needComma;
    private int depth;

    public JsonWriter(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf buffer() {
        return out;
    }

    public JsonWriter startObject() {
        beforeValue();
        out.writeByte('{');
        push();
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        out.writeByte('}');
        return this;
    }

    public JsonWriter startArray() {
        beforeValue();
        out.writeByte('[');
        push();
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        out.writeByte(']');
        return this;
    }

    public JsonWriter name(String name) {
        beforeValue();
        quoted(name);
        out.writeByte(':');
        needComma &= ~(1L << depth); // the value after a name takes no comma
        return this;
    }

    public JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.writeCharSequence("null", StandardCharsets.US_ASCII);
        } else {
            quoted(s);
        }
        return this;
    }

    public JsonWriter value(long v) {
        beforeValue();
        out.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
        return this;
    }

    public JsonWriter value(boolean v) {
        beforeValue();
        out.writeCharSequence(v ? "true" : "false", StandardCharsets.US_ASCII);
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    /** Writes the field only when {@code value} is not null. */
    public JsonWriter optField(String name, String value) {
        return value == null ? this : name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    public JsonWriter optField(String name, Instant value) {
        return value == null ? this : name(name).value(value.toString());
    }

    private void push() {
        depth++;
        needComma &= ~(1L << depth);
    }

    private void beforeValue() {
        long bit = 1L << depth;
        if ((needComma & bit) != 0) {
            out.writeByte(',');
        }
        needComma |= bit;
    }

    private void quoted(String s) {
        out.writeByte('"');
        int runStart = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
                continue;
            }
            if (i > runStart) {
                out.writeCharSequence(s.subSequence(runStart, i), StandardCharsets.UTF_8);
            }
            runStart = i + 1;
            out.writeByte('\\');
            switch (c) {
                case '"': out.writeByte('"'); break;
                case '\\': out.writeByte('\\'); break;
                case '\n': out.writeByte('n'); break;
                case '\r': out.writeByte('r'); break;
                case '\t': out.writeByte('t'); break;
                default:
                    out.writeByte('u').writeByte(HEX[(c >> 12) & 0xF]).writeByte(HEX[(c >> 8) & 0xF])
                            .writeByte(HEX[(c >> 4) & 0xF]).writeByte(HEX[c & 0xF]);
            }
        }
        if (n > runStart) {
            out.writeCharSequence(runStart == 0 ? s : s.subSequence(runStart, n), StandardCharsets.UTF_8);
        }
        out.writeByte('"');
    }
}
