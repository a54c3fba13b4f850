package io.nacgw.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "This test needs X" in one place: outside CI a missing tool or facility skips the test; with {@code CI=true} it
 * fails, because CI must exercise every peer ({@code .ci/run} installs them). Shipped in the core test-jar so every
 * module's tests use the same rule.
 */
public final class Needs {
    private Needs() {
    }

    /** True when the environment variable {@code CI} is {@code true} (any case). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The first of {@code paths} that is an executable file; otherwise the test is skipped (or fails in CI).
     *
     * @param debianPackage the package that provides the tool, named in the message
     */
    public static Path executable(String debianPackage, String... paths) {
        for (String p : paths) {
            Path candidate = Path.of(p);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw missing(String.join(" or ", paths) + " not found (Debian package " + debianPackage + ")");
    }

    /** Returns when {@code available}; otherwise the test is skipped (or fails in CI) with {@code what} as the reason. */
    public static void that(boolean available, String what) {
        if (!available) {
            throw missing(what);
        }
    }

    /**
     * Something the test needs is missing: the error to throw ({@code throw Needs.missing(...)}): an
     * {@link AssertionError} when {@code CI=true}, else the exception that marks the test skipped.
     */
    public static RuntimeException missing(String what) {
        return missing(what, ci());
    }

    static RuntimeException missing(String what, boolean ci) {
        if (ci) {
            throw new AssertionError("CI=true and this test needs: " + what);
        }
        Assumptions.abort("skipped, needs: " + what);
        throw new IllegalStateException("unreachable: Assumptions.abort returned");
    }
}
