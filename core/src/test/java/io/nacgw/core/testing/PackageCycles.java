package io.nacgw.core.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds cycles between the packages of a module from its compiled classes: each class file's constant pool names
 * every class the class uses (in code, signatures, fields and annotations; not in javadoc), so a package edge is
 * one class of package A naming a class of package B. No library: the constant pool is read directly (JVMS 4.4).
 * Architecture tests call {@link #in(Path, String)} and assert the result is empty.
 */
public final class PackageCycles {
    private static final Pattern CLASS_NAME = Pattern.compile("L?([a-zA-Z_$][\\w$]*(?:/[a-zA-Z_$][\\w$]*)+)[;<]?");

    private PackageCycles() {
    }

    /**
     * The package cycles among the classes under {@code classes} (e.g. {@code target/classes}) whose package starts
     * with {@code prefix}: each as its packages plus one example edge per pair, e.g.
     * {@code [a, a.b] (a.X -> a.b.Y, a.b.Z -> a.W)}. Empty when the packages form a DAG.
     */
    public static List<String> in(Path classes, String prefix) {
        Map<String, Map<String, String>> edges = edges(classes, prefix);
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            if (component.size() < 2) {
                continue;
            }
            List<String> examples = new ArrayList<>();
            for (String from : component) {
                for (Map.Entry<String, String> e : edges.getOrDefault(from, Map.of()).entrySet()) {
                    if (component.contains(e.getKey())) {
                        examples.add(e.getValue());
                    }
                }
            }
            cycles.add(component + " " + examples);
        }
        return cycles;
    }

    /** Package → (package it uses → one example "class -> class"). */
    static Map<String, Map<String, String>> edges(Path classes, String prefix) {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (Map.Entry<String, ClassFacts> c : classes(classes).entrySet()) {
            String self = c.getKey();
            String from = packageOf(self);
            if (!from.startsWith(prefix)) {
                continue;
            }
            Map<String, String> out = edges.computeIfAbsent(from, k -> new TreeMap<>());
            for (String used : c.getValue().referenced()) {
                String to = packageOf(used);
                if (!to.equals(from) && to.startsWith(prefix)) {
                    out.putIfAbsent(to, topLevel(self) + " -> " + topLevel(used));
                }
            }
        }
        return edges;
    }

    /** What one class file says: the classes it names, and whether the class is public. */
    record ClassFacts(Set<String> referenced, boolean isPublic) {
    }

    /** Every class under {@code classes} (e.g. {@code target/classes}) by binary name (dots), in name order. */
    static Map<String, ClassFacts> classes(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException(classes + " is not a directory of compiled classes");
        }
        Map<String, ClassFacts> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String self = classes.relativize(f).toString().replace('\\', '/');
                all.put(self.substring(0, self.length() - ".class".length()).replace('/', '.'), read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The classes a class file's constant pool names, and its access flags' ACC_PUBLIC (JVMS 4.1). */
    static ClassFacts read(Path classFile) throws IOException {
        Set<String> names = new TreeSet<>();
        boolean isPublic;
        try (InputStream raw = Files.newInputStream(classFile);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            Set<Integer> literals = new TreeSet<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF(); // class names, descriptors and signatures all live here
                    case 3, 4 -> in.readInt(); // Integer, Float
                    case 5, 6 -> { // Long, Double take two slots
                        in.readLong();
                        i++;
                    }
                    case 8 -> literals.add(in.readUnsignedShort()); // a string literal (a resource path) names no class
                    case 7, 16, 19, 20 -> in.readUnsignedShort(); // Class, MethodType, Module, Package
                    case 9, 10, 11, 12, 17, 18 -> in.readInt(); // refs, NameAndType, Dynamic, InvokeDynamic
                    case 15 -> { // MethodHandle
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
            isPublic = (in.readUnsignedShort() & 0x0001) != 0; // access_flags follow the constant pool
            for (int i = 1; i < count; i++) {
                if (utf8[i] != null && !literals.contains(i)) {
                    Matcher m = CLASS_NAME.matcher(utf8[i]);
                    while (m.find()) {
                        names.add(m.group(1).replace('/', '.'));
                    }
                }
            }
        }
        return new ClassFacts(names, isPublic);
    }

    static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }

    static String topLevel(String binaryName) {
        int d = binaryName.indexOf('$');
        return d < 0 ? binaryName : binaryName.substring(0, d);
    }

    /** Tarjan's strongly connected components of the package graph. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, edges, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
