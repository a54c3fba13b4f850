package io.nacgw.radius;

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
    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            return s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
    }

    private static List<String> importing(String prefix) throws IOException {
        return sources().stream().filter(p -> {
            try {
                return Files.readString(p).contains("import " + prefix);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }

    @Test
    void tinyradius_isUsedByExactlyOneClass() throws IOException {
        assertEquals(List.of("RadiusCodec.java"), importing("org.tinyradius"));
    }

    @Test
    void datagramPacket_staysAtTheSocketEdge() throws IOException {
        assertEquals(List.of("DatagramCodec.java"), importing("io.netty.channel.socket.DatagramPacket"));
    }

    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.radius"));
    }
}
