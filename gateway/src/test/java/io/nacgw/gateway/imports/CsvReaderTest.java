package io.nacgw.gateway.imports;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class CsvReaderTest {

    /** Each record as "LINE: field|field|…". */
    private static List<String> read(String csv) throws IOException {
        List<String> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(new StringReader(csv))) {
            List<String> rec;
            while ((rec = r.next()) != null) {
                out.add(r.recordLine() + ": " + String.join("|", rec));
            }
            assertNull(r.next(), "stays at the end");
        }
        return out;
    }

    @Test
    void next_quotedFields_keepCommasDoubledQuotesAndLineBreaks_lineNumbersCountThem() throws IOException {
        assertEquals(List.of("1: a|b, c|say \"hi\"|", "2: x|two\nlines|y", "4: z|\r\nw|", "6: last"),
                read("a,\"b, c\",\"say \"\"hi\"\"\",\"\"\n"
                        + "x,\"two\nlines\",y\n"
                        + "z,\"\r\nw\",\n"
                        + "last"));
    }

    @Test
    void next_crlfLfAndLoneCrEndRecords_blankLinesAreSkippedButCounted() throws IOException {
        assertEquals(List.of("1: a|b", "2: c|d", "3: e", "6: f|", "8: g"),
                read("a,b\r\nc,d\ne\r\n\r\n\nf,\n\ng\n\n"));
        assertEquals(List.of("1: a", "2: b"), read("a\rb\r"));
    }

    @Test
    void next_emptyFieldsAndQuotesInsideUnquotedFields_areKeptAsTheyAre() throws IOException {
        assertEquals(List.of("1: |a||b|", "2: 5\" disk|x"), read(",a,,b,\n5\" disk,x\n"));
    }

    @Test
    void next_emptyInput_hasNoRecords() throws IOException {
        assertEquals(List.of(), read(""));
        assertEquals(List.of(), read("\r\n\n"));
    }

    @Test
    void next_quoteNotClosed_failsNamingTheRecordsLine() throws IOException {
        try (CsvReader r = new CsvReader(new StringReader("id\nok\n\"open,\nstill open\n"))) {
            r.next();
            r.next();
            IOException e = assertThrows(IOException.class, r::next);
            assertEquals("line 3: quoted field not closed before end of file", e.getMessage());
        }
    }

    @Test
    void next_fieldOver64KiB_failsNamingTheLine_64KiBIsAccepted() throws IOException {
        String max = "x".repeat(64 * 1024);
        assertEquals(List.of("1: a|" + max), read("a," + max + "\n"));
        try (CsvReader r = new CsvReader(new StringReader("a\n\"" + max + "yz\",b\n"))) {
            r.next();
            IOException e = assertThrows(IOException.class, r::next);
            assertEquals("line 2: field longer than 65536 characters", e.getMessage());
        }
    }
}
