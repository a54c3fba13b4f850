package io.nacgw.core.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class NeedsTest {
    @Test
    void missing_outsideCi_skipsTheTest() {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> Needs.missing("frobnicator", false));
        assertTrue(e.getMessage().contains("frobnicator"), e.getMessage());
    }

    @Test
    void missing_inCi_failsTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> Needs.missing("frobnicator", true));
        assertTrue(e.getMessage().contains("CI=true") && e.getMessage().contains("frobnicator"), e.getMessage());
    }

    @Test
    void executable_returnsTheFirstCandidateThatExists() {
        assertEquals(java.nio.file.Path.of("/bin/sh"), Needs.executable("dash", "/nonexistent/sh", "/bin/sh"));
    }

    @Test
    void executable_noneExists_skipsOrFailsNamingThePackage() {
        Throwable e = assertThrows(Throwable.class, () -> Needs.executable("frob-utils", "/nonexistent/frob"));
        assertTrue(e instanceof TestAbortedException || e instanceof AssertionError, e.toString());
        assertTrue(e.getMessage().contains("/nonexistent/frob") && e.getMessage().contains("frob-utils"), e.getMessage());
    }

    @Test
    void that_available_returns() {
        Needs.that(true, "nothing");
    }
}
