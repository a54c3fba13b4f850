package io.nacgw.gateway.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 CSV reader on Jackson's CSV parser: quoted fields, doubled quotes, CRLF or LF, quoted line
 * breaks, blank lines skipped; each record as its list of fields, with the line it started on for error messages.
 */
final class CsvReader implements AutoCloseable {
    private static final int MAX_FIELD = 64 * 1024;
    /** Rows as arrays of strings (no column schema); a field longer than MAX_FIELD is refused. */
    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_FIELD).build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final CsvParser parser;
    private long recordLine;

    CsvReader(Reader in) throws IOException {
        this.parser = CSV.createParser(in);
        parser.setSchema(CsvSchema.emptySchema());
    }

    /** Line number where the record last returned by {@link #next()} started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at end of input. */
    List<String> next() throws IOException {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return null;
            }
            // at a row's START_ARRAY the parser stands at the row's first character (blank lines before it skipped);
            // the token's own location is the end of the row before
            recordLine = parser.currentLocation().getLineNr();
            List<String> fields = new ArrayList<>();
            while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                fields.add(parser.getText());
            }
            return fields;
        } catch (StreamConstraintsException e) {
            throw new IOException("line " + recordLine + ": field longer than " + MAX_FIELD + " characters", e);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw new IOException("line " + recordLine + ": " + (why != null && why.contains("closing quote")
                    ? "quoted field not closed before end of file" : why), e);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
