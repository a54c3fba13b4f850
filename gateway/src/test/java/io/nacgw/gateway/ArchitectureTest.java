package io.nacgw.gateway;

import io.nacgw.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rules of STYLE.md that the compiler cannot check. */
final class ArchitectureTest {
    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.gateway"));
    }
}
