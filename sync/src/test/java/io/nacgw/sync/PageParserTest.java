package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class PageParserTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final PageParser parser = new PageParser(new JsonFactory());

    private PageParser.Page parse(String json) throws IOException {
        return parser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), NOW, null, new SyncWarnings());
    }

    private String error(String json) {
        return assertThrows(JsonParseException.class, () -> parse(json)).getOriginalMessage();
    }

    @Test
    void parse_nextLinkBeforeOrAfterValue_unknownMembersSkipped() throws IOException {
        PageParser.Page p = parse("{\"@odata.nextLink\":\"https://g/next\",\"@odata.count\":2,\"value\":["
                + "{\"id\":\"00000001-0000-4000-8000-000000000001\",\"lastSyncDateTime\":\"2026-11-20T10:00:00Z\","
                + "\"deviceHealthAttestationState\":{\"a\":[1,2,{\"b\":null}]},\"roleScopeTagIds\":[\"0\"],"
                + "\"complianceState\":\"compliant\",\"isEncrypted\":true,\"physicalMemoryInBytes\":0},"
                + "{\"id\":\"00000002-0000-4000-8000-000000000002\",\"lastSyncDateTime\":\"2026-11-21T10:00:00Z\"}"
                + "],\"extra\":{\"x\":1}}");
        assertEquals("https://g/next", p.nextLink());
        assertEquals(2, p.devices().size());
        assertTrue(p.devices().get(0).encrypted());
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), p.maxLastSync());

        PageParser.Page last = parse("{\"value\":[],\"@odata.nextLink\":null}");
        assertNull(last.nextLink());
        assertTrue(last.devices().isEmpty());
        assertNull(last.maxLastSync());
    }

    @Test
    void parse_structuralErrors_areParseExceptions() {
        assertEquals("a page must be a JSON object", error("[1,2]"));
        assertEquals("the page has no 'value' array", error("{\"@odata.nextLink\":\"x\"}"));
        assertEquals("'value' must be an array of devices", error("{\"value\":{}}"));
        assertEquals("'value' must hold only device objects", error("{\"value\":[1]}"));
        assertEquals("'@odata.nextLink' must be a string", error("{\"value\":[],\"@odata.nextLink\":5}"));
        assertEquals("content after the end of the page object", error("{\"value\":[]} {}"));
        assertThrows(JsonParseException.class, () -> parse("{\"value\":[{\"id\":\"x\""));
    }

    @Test
    void parse_fieldValuesOfOtherJsonTypes_readAsTextOrNull() throws IOException {
        PageParser.Page p = parse("{\"value\":[{\"id\":\"00000001-0000-4000-8000-000000000001\","
                + "\"deviceName\":42,\"model\":{\"nested\":\"x\"},\"manufacturer\":null,\"isEncrypted\":false}]}");
        assertEquals("42", p.devices().get(0).deviceName().orElseThrow());
        assertTrue(p.devices().get(0).model().isEmpty());
        assertTrue(p.devices().get(0).manufacturer().isEmpty());
    }
}
