package io.nacgw.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class PublicTypesTest {
    @TempDir
    Path dir;

    @Test
    void notUsedByAnotherPackage_listsPublicTypesOnlyTheirOwnPackageUses() throws Exception {
        Path classes = PackageCyclesTest.compile(dir,
                "p/a/Api.java", "package p.a; public class Api { public static class Nested { } }",
                "p/a/Lonely.java", "package p.a; public class Lonely { Api api; }",
                "p/a/Hidden.java", "package p.a; class Hidden { }",
                "p/b/User.java", "package p.b; public class User { p.a.Api.Nested n; }",
                "q/Outside.java", "package q; public class Outside { }");
        assertEquals(List.of("p.a.Lonely", "p.b.User"), PublicTypes.notUsedByAnotherPackage(classes, "p"));
    }

    @Test
    void notUsedByAnotherPackage_seesAUseInASignatureOnly() throws Exception {
        Path classes = PackageCyclesTest.compile(dir,
                "p/a/Kind.java", "package p.a; public enum Kind { ONE }",
                "p/b/User.java", "package p.b; public interface User { void take(java.util.List<p.a.Kind> kinds); }");
        assertEquals(List.of("p.b.User"), PublicTypes.notUsedByAnotherPackage(classes, "p"));
    }
}
