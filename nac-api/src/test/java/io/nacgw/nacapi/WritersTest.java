package io.nacgw.nacapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class WritersTest {

    @Test
    void xml_escapesMarkupAndDropsForbiddenCharacters() throws Exception {
        ByteBuf b = Unpooled.buffer();
        new XmlWriter(b).start("r").element("a", "<x> & \"q\" 'y' \u0001\uFFFE ok \uD83D\uDE00").empty("e").element("n", 42)
                .element("skip", (String) null).end("r");
        String s = b.toString(StandardCharsets.UTF_8);
        assertEquals("<r><a>&lt;x&gt; &amp; &quot;q&quot; &apos;y&apos;  ok \uD83D\uDE00</a><e/><n>42</n></r>", s);
        assertEquals("<x> & \"q\" 'y'  ok \uD83D\uDE00", Xml.parse(s).text("a"));
        b.release();
    }

    @Test
    void json_placesCommasAndEscapes() throws Exception {
        ByteBuf b = Unpooled.buffer();
        new JsonWriter(b).startObject().field("a", "x\"\\\n\u0001\u2028").name("l").startArray().value(1).value(true)
                .startObject().endObject().endArray().optField("none", (String) null).field("z", false).endObject();
        String s = b.toString(StandardCharsets.UTF_8);
        JsonNode n = new ObjectMapper().readTree(s);
        assertEquals("x\"\\\n\u0001\u2028", n.get("a").asText());
        assertEquals(3, n.get("l").size());
        assertEquals("{\"a\":\"x\\\"\\\\\\n\\u0001\\u2028\",\"l\":[1,true,{}],\"z\":false}", s);
        b.release();
    }
}
