package io.nacgw.radius;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * "This test needs tool X": the tool's path when it is installed; otherwise the test is skipped, except with
 * {@code CI=true}, where a missing peer fails the test (CI must test against the real one).
 */
public final class RequiredTool {
    private RequiredTool() {
    }

    /** {@code path} when executable; else skips (locally) or fails (CI) naming the Debian package. */
    public static Path require(String path, String debianPackage) {
        Path p = Path.of(path);
        if (!Files.isExecutable(p)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(path + " is required when CI=true: apt-get install " + debianPackage);
            }
            Assumptions.abort(path + " not installed (apt-get install " + debianPackage + ")");
        }
        return p;
    }
}
