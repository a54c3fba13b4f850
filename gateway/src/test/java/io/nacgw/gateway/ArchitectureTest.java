package io.nacgw.gateway;

import io.nacgw.core.testing.PackageCycles;
import io.nacgw.core.testing.PublicTypes;
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

    /**
     * No other module uses the gateway, so a public type must be used by another gateway package; but for the jar's
     * entry point, and one config record Jackson binds that only its own package names.
     */
    @Test
    void publicTypes_areUsedByAnotherPackage_butTheEntryPointAndAConfigRecord() {
        assertEquals(List.of("io.nacgw.gateway.cli.Main", "io.nacgw.gateway.config.UpstreamsConfig"),
                PublicTypes.notUsedByAnotherPackage(Path.of("target/classes"), "io.nacgw.gateway"));
    }
}
