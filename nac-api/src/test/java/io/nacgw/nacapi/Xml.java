package io.nacgw.nacapi;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: parses a response and reads elements by path. */
final class Xml {
    final Element root;

    private Xml(Element root) {
        this.root = root;
    }

    static Xml parse(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return new Xml(d.getDocumentElement());
    }

    /** Text of the first element at {@code path} ("a/b/c", relative to the root), or null. */
    String text(String path) {
        Element e = find(root, path);
        return e == null ? null : e.getTextContent();
    }

    static Element find(Element from, String path) {
        Element cur = from;
        for (String name : path.split("/")) {
            Element next = null;
            for (Node n = cur.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element && n.getNodeName().equals(name)) {
                    next = (Element) n;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    /** The device elements of a deviceList. */
    List<Element> devices() {
        List<Element> out = new ArrayList<>();
        Element list = find(root, "deviceList");
        if (list != null) {
            NodeList nl = list.getChildNodes();
            for (int i = 0; i < nl.getLength(); i++) {
                if (nl.item(i) instanceof Element) {
                    out.add((Element) nl.item(i));
                }
            }
        }
        return out;
    }

    /** Names of the child elements, in order. */
    static List<String> childNames(Element e) {
        List<String> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                out.add(n.getNodeName());
            }
        }
        return out;
    }
}
