package io.nacgw.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class PackageCyclesTest {
    @TempDir
    Path dir;

    private Path compile(String... sources) throws Exception {
        return compile(dir, sources);
    }

    /** Compiles the sources (path, text, path, text, ...) under {@code dir}; returns the directory of classes. */
    static Path compile(Path dir, String... sources) throws Exception {
        Path src = dir.resolve("src");
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        String[] args = new String[sources.length / 2 + 2];
        args[0] = "-d";
        args[1] = out.toString();
        for (int i = 0; i < sources.length; i += 2) {
            Path f = src.resolve(sources[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, sources[i + 1]);
            args[i / 2 + 2] = f.toString();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args));
        return out;
    }

    @Test
    void in_twoPackagesUsingEachOther_isOneCycle() throws Exception {
        Path classes = compile(
                "p/a/A.java", "package p.a; public class A { public p.b.B b() { return null; } }",
                "p/b/B.java", "package p.b; public class B { java.util.List<p.a.A> all; }");
        List<String> cycles = PackageCycles.in(classes, "p");
        assertEquals(1, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).startsWith("[p.a, p.b]"), cycles.get(0));
        assertTrue(cycles.get(0).contains("p.a.A -> p.b.B"), cycles.get(0));
    }

    @Test
    void in_oneWayUse_hasNoCycle() throws Exception {
        Path classes = compile(
                "p/a/A.java", "package p.a; public class A { public p.b.B b() { return new p.b.B(); } }",
                "p/b/B.java", "package p.b; public class B { }");
        assertEquals(List.of(), PackageCycles.in(classes, "p"));
    }

    @Test
    void in_cycleThroughAThirdPackageAndNestedClass_isFound() throws Exception {
        Path classes = compile(
                "p/A.java", "package p; public class A { static class In { p.x.X x; } }",
                "p/x/X.java", "package p.x; public class X { p.y.Y y; }",
                "p/y/Y.java", "package p.y; public class Y { Object o = new p.A(); }");
        List<String> cycles = PackageCycles.in(classes, "p");
        assertEquals(1, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).startsWith("[p, p.x, p.y]"), cycles.get(0));
    }
}
