package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes XML straight into a (pooled) buffer: no DOM, no intermediate strings. Text is escaped and characters
 * that XML 1.0 forbids are dropped, so whatever the MDM stored can never break the document.
 */
public final class XmlWriter {
    private final ByteBuf out;

    public XmlWriter(ByteBuf out) {
        this.out = out;
    }

    public XmlWriter declaration() {
        out.writeCharSequence("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", StandardCharsets.US_ASCII);
        return this;
    }

    public XmlWriter start(String name) {
        out.writeByte('<');
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte('>');
        return this;
    }

    public XmlWriter end(String name) {
        out.writeByte('<').writeByte('/');
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte('>');
        return this;
    }

    public XmlWriter empty(String name) {
        out.writeByte('<');
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte('/').writeByte('>');
        return this;
    }

    /** An element with escaped text; nothing at all when {@code text} is null. */
    public XmlWriter element(String name, String text) {
        if (text != null) {
            start(name);
            text(text);
            end(name);
        }
        return this;
    }

    public XmlWriter element(String name, long value) {
        start(name);
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        return end(name);
    }

    public XmlWriter element(String name, boolean value) {
        start(name);
        out.writeCharSequence(value ? "true" : "false", StandardCharsets.US_ASCII);
        return end(name);
    }

    public XmlWriter text(CharSequence s) {
        int runStart = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String rep;
            switch (c) {
                case '<': rep = "&lt;"; break;
                case '>': rep = "&gt;"; break;
                case '&': rep = "&amp;"; break;
                case '"': rep = "&quot;"; break;
                case '\'': rep = "&apos;"; break;
                default:
                    rep = allowed(c, s, i) ? null : "";
            }
            if (rep != null) {
                if (i > runStart) {
                    out.writeCharSequence(s.subSequence(runStart, i), StandardCharsets.UTF_8);
                }
                out.writeCharSequence(rep, StandardCharsets.US_ASCII);
                runStart = i + 1;
            }
        }
        if (n > runStart) {
            out.writeCharSequence(runStart == 0 ? s : s.subSequence(runStart, n), StandardCharsets.UTF_8);
        }
        return this;
    }

    private static boolean allowed(char c, CharSequence s, int i) {
        if (c >= 0x20 && c < 0xD800) {
            return true;
        }
        if (c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return c >= 0xE000 && c <= 0xFFFD;
    }
}
