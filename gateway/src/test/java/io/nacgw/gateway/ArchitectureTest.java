package io.nacgw.gateway;

import io.nacgw.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules of STYLE.md that the compiler cannot check. */
final class ArchitectureTest {
    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.gateway"));
    }

    /** JUnit's own ways to skip a test, which know nothing of CI=true. */
    private static final Pattern SKIP = Pattern.compile(
            "Assumptions\\.|\\bassume(True|False|That)\\(|@Disabled|@EnabledIf|@DisabledIf|@EnabledOn|@DisabledOn");

    /**
     * Every module's tests skip only through {@code Needs} (skip locally, fail when CI=true), never with JUnit's
     * assumptions or conditions directly; the exceptions are Needs itself, this rule, and the opt-in probes surefire never runs.
     */
    @Test
    void tests_skipOnlyThroughNeeds_inEveryModule() throws IOException {
        Set<String> allowed = Set.of("core/src/test/java/io/nacgw/core/testing/Needs.java",
                "gateway/src/test/java/io/nacgw/gateway/ArchitectureTest.java", // this rule's own pattern
                "nac-api/src/test/java/io/nacgw/nacapi/ApiLoadProbe.java", // not a *Test: run by name only
                "sync/src/test/java/io/nacgw/sync/SyncLoadBenchTest.java"); // excluded in sync/pom.xml
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders = new ArrayList<>();
        int read = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path testDir : modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(testDir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        read++;
                        String name = root.relativize(f).toString();
                        if (!allowed.contains(name) && SKIP.matcher(Files.readString(f)).find()) {
                            offenders.add(name);
                        }
                    }
                }
            }
        }
        assertTrue(read > 200, "read the test sources of every module: " + read);
        assertEquals(List.of(), offenders);
    }
}
