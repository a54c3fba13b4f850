package io.nacgw.gateway;

import io.nacgw.core.testing.PackageCycles;
import io.nacgw.core.testing.PublicTypes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules of STYLE.md that the compiler cannot check. */
final class ArchitectureTest {
    /** The repository: the tests run in the gateway module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** JUnit's own ways to skip a test, which know nothing of CI=true. */
    private static final Pattern SKIP = Pattern.compile(
            "Assumptions\\.|\\bassume(True|False|That)\\(|@Disabled|@EnabledIf|@DisabledIf|@EnabledOn|@DisabledOn");

    @Test
    void packages_haveNoCycles() {
        assertEquals(List.of(), PackageCycles.in(Path.of("target/classes"), "io.nacgw.gateway"));
    }

    /**
     * No other module uses the gateway, so a public type must be used by another gateway package; but for the jar's
     * entry point, and {@code UpstreamsConfig}: only its own package names it, as a component of the public
     * {@code RadiusConfig} record the loader binds.
     */
    @Test
    void publicTypes_areUsedByAnotherPackage_butTheEntryPointAndAConfigRecord() {
        assertEquals(List.of("io.nacgw.gateway.cli.Main", "io.nacgw.gateway.config.UpstreamsConfig"),
                PublicTypes.notUsedByAnotherPackage(Path.of("target/classes"), "io.nacgw.gateway"));
    }

    /**
     * Every module's tests skip only through {@code Needs} (skip locally, fail when CI=true), never with JUnit's
     * assumptions or conditions directly; the exceptions are Needs itself, this rule, and the opt-in probes surefire
     * never runs.
     */
    @Test
    void tests_skipOnlyThroughNeeds_inEveryModule() throws IOException {
        Set<String> allowed = Set.of("core/src/test/java/io/nacgw/core/testing/Needs.java",
                "gateway/src/test/java/io/nacgw/gateway/ArchitectureTest.java", // this rule's own pattern
                "nac-api/src/test/java/io/nacgw/nacapi/ApiLoadProbe.java", // not a *Test: run by name only
                "sync/src/test/java/io/nacgw/sync/SyncLoadBenchTest.java"); // excluded in sync/pom.xml
        List<Path> tests = javaFiles("src/test/java");
        List<String> offenders = new ArrayList<>();
        for (Path f : tests) {
            String name = ROOT.relativize(f).toString();
            if (!allowed.contains(name) && SKIP.matcher(Files.readString(f)).find()) {
                offenders.add(name);
            }
        }
        assertTrue(tests.size() > 200, "read the test sources of every module: " + tests.size());
        assertEquals(List.of(), offenders);
    }

    /**
     * docs/request-path.md names classes and files by path ({@code R/server/Admission.java}) and by name: each path
     * exists and each name is a type declared in some module's code (or one of Netty's handlers it names), so a move
     * or rename that forgets the page fails here.
     */
    @Test
    void requestPathPage_namesOnlyFilesAndClassesThatExist() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/request-path.md"));
        Map<String, String> prefixes = Map.of("R/", "radius/src/main/java/io/nacgw/radius/",
                "A/", "nac-api/src/main/java/io/nacgw/nacapi/", "C/", "core/src/main/java/io/nacgw/core/",
                "gateway/…/", "gateway/src/main/java/io/nacgw/gateway/");
        List<String> missing = new ArrayList<>();
        Matcher paths = Pattern.compile("`((?:R|A|C|gateway/…)/[^`]*)`").matcher(page);
        int pathsSeen = 0;
        while (paths.find()) {
            pathsSeen++;
            String p = paths.group(1);
            String prefix = p.startsWith("gateway/…/") ? "gateway/…/" : p.substring(0, 2);
            if (!Files.exists(ROOT.resolve(prefixes.get(prefix) + p.substring(prefix.length())))) {
                missing.add(p);
            }
        }
        Set<String> declared = new HashSet<>(Set.of("SslHandler", "IdleStateHandler", "HttpServerCodec"));
        Pattern declaration = Pattern.compile("\\b(?:class|record|enum|interface) ([A-Z][A-Za-z0-9]*)");
        for (Path f : javaFiles("src/main/java", "src/test/java")) {
            declaration.matcher(Files.readString(f)).results().forEach(r -> declared.add(r.group(1)));
        }
        Matcher names = Pattern.compile("`([A-Z][A-Za-z0-9]+)[.`]").matcher(page);
        Set<String> namesSeen = new TreeSet<>();
        while (names.find()) {
            namesSeen.add(names.group(1));
        }
        namesSeen.stream().filter(n -> !declared.contains(n)).forEach(missing::add);
        assertTrue(pathsSeen > 50 && namesSeen.size() > 100, pathsSeen + " paths, " + namesSeen.size() + " names");
        assertEquals(List.of(), missing, "named in docs/request-path.md but not in the tree");
    }

    /** Every .java file under {@code dirs} (e.g. src/test/java) of every module. */
    private static List<Path> javaFiles(String... dirs) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path dir : modules.flatMap(m -> Stream.of(dirs).map(m::resolve)).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                }
            }
        }
        return out;
    }
}
