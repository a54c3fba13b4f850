package io.nacgw.gateway.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, quoted line breaks. */
final class CsvReader implements AutoCloseable {
    private static final int MAX_FIELD = 64 * 1024;
    private final Reader in;
    private long line = 1;
    private long recordLine;
    private int peeked = -2;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** Line number where the record last returned by {@link #next()} started. */
    long recordLine() {
        return recordLine;
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    /** The next record's fields, or null at end of input. */
    List<String> next() throws IOException {
        int c = read();
        while (c == '\r' || c == '\n') { // skip blank lines
            if (c == '\n') {
                line++;
            }
            c = read();
        }
        if (c == -1) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (c == -1) {
                if (quoted) {
                    throw new IOException("line " + recordLine + ": quoted field not closed before end of file");
                }
                fields.add(f.toString());
                return fields;
            }
            if (quoted) {
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        f.append('"');
                    } else {
                        quoted = false;
                        peeked = d;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    f.append((char) c);
                }
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        peeked = d;
                    }
                }
                line++;
                fields.add(f.toString());
                return fields;
            } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                f.append((char) c);
            }
            if (f.length() > MAX_FIELD) {
                throw new IOException("line " + recordLine + ": field longer than " + MAX_FIELD + " characters");
            }
            c = read();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
