package io.nacgw.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** External peers tests run (radclient, curl, ...): a missing one skips the test, but fails it when CI=true. */
public final class Tools {
    private Tools() {
    }

    /** {@code path} when it is executable; otherwise aborts the test, or fails it under CI. */
    public static String require(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(path + " is required when CI=true: apt-get install " + debianPackage);
            }
            Assumptions.abort(path + " not installed (apt-get install " + debianPackage + ")");
        }
        return path;
    }
}
