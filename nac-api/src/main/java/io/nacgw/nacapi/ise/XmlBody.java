package io.nacgw.nacapi.ise;

import io.nacgw.nacapi.ApiException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the small XML bodies ISE posts (batch values, action identifiers) with a streaming parser that refuses
 * DTDs and external entities (no XXE, no entity expansion bombs).
 */
final class XmlBody {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    }

    private XmlBody() {
    }

    /**
     * The trimmed text of every leaf element whose local name (lower-cased) is in {@code names}, by name.
     * @throws ApiException 400 when the body is not well-formed XML or holds more than {@code maxValues} values
     */
    static Map<String, List<String>> texts(byte[] body, int maxValues, String... names) {
        Map<String, List<String>> out = new HashMap<>();
        java.util.Set<String> wanted = java.util.Set.of(names);
        int count = 0;
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            String current = null;
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    throw ApiException.badRequest("DTDs are not accepted");
                } else if (ev == XMLStreamConstants.START_ELEMENT) {
                    String n = r.getLocalName().toLowerCase(Locale.ROOT);
                    current = wanted.contains(n) ? n : null;
                    text.setLength(0);
                } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) && current != null) {
                    text.append(r.getText());
                    if (text.length() > 1024) {
                        throw ApiException.badRequest("an XML value is longer than 1024 characters");
                    }
                } else if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw ApiException.badRequest("entity references are not accepted");
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (current != null) {
                        if (++count > maxValues) {
                            throw ApiException.badRequest("more than " + maxValues + " values");
                        }
                        out.computeIfAbsent(current, k -> new ArrayList<>()).add(text.toString().strip());
                    }
                    current = null;
                }
            }
            return out;
        } catch (XMLStreamException e) {
            throw ApiException.badRequest("the body is not well-formed XML");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing was held open: the input is an in-memory array
                }
            }
        }
    }
}
