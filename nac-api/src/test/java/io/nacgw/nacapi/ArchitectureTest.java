package io.nacgw.nacapi;

import io.nacgw.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rules of STYLE.md that the compiler cannot check. */
final class ArchitectureTest {
    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.nacapi"));
    }

    @Test
    void httpResponses_areBuiltByOneClass() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            List<String> building = s.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String src = Files.readString(p);
                    return src.contains("new DefaultFullHttpResponse(") || src.contains("new DefaultHttpResponse(");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(List.of("HttpResponses.java"), building);
        }
    }
}
