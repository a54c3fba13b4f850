package io.nacgw.radius.audit;

import io.nacgw.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Built-in audit rotation: by size, by age, with retention; names sort by time. */
final class FileSinkRotationTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));

    private List<String> rotated() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("audit.jsonl.")).sorted().toList();
        }
    }

    /** Both ways a line reaches the sink: a String, or the audit writer's reused builder (no String made). */
    @org.junit.jupiter.params.ParameterizedTest(name = "from a builder: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void size_rotatesBeforeTheLineThatWouldPassTheLimit_andKeepsTheNewest(boolean builder) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (AuditSink sink = AuditSink.file(f, new AuditRotation(20, Duration.ZERO, 2), clock)) {
            StringBuilder reused = new StringBuilder();
            java.util.function.Consumer<String> write = line -> {
                try {
                    if (builder) {
                        reused.setLength(0);
                        sink.writeLine(reused.append(line));
                    } else {
                        sink.write(line);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            write.accept("0123456789"); // 11 bytes with the newline
            write.accept("abcdefgh");   // 20: at the limit, not past it
            write.accept("x");          // would pass: rotate first
            clock.advance(Duration.ofSeconds(1));
            write.accept("é".repeat(10)); // 21 bytes in UTF-8 (counted as bytes, not chars): rotates
            clock.advance(Duration.ofSeconds(1));
            write.accept("y".repeat(600)); // longer than the sink's first line buffer
            write.accept("z");
            sink.flush();
        }
        assertEquals(List.of("audit.jsonl.20261130-080002", "audit.jsonl.20261130-080002-1"), rotated(),
                "keep 2: the files of 08:00:00 and 08:00:01 were deleted; a second rotation in one second gets -1");
        assertEquals(List.of("é".repeat(10)), Files.readAllLines(dir.resolve("audit.jsonl.20261130-080002")));
        assertEquals(List.of("y".repeat(600)), Files.readAllLines(dir.resolve("audit.jsonl.20261130-080002-1")));
        assertEquals(List.of("z"), Files.readAllLines(f));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
    }

    @Test
    void interval_rotatesAtTheFirstLineAfterIt_sameSecondGetsASuffix() throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (AuditSink sink = AuditSink.file(f, new AuditRotation(0, Duration.ofHours(1), 5), clock)) {
            sink.write("first");
            clock.advance(Duration.ofMinutes(59));
            sink.write("still the first hour");
            clock.advance(Duration.ofMinutes(1));
            sink.write("second hour");
            sink.flush();
        }
        assertEquals(List.of("audit.jsonl.20261130-090000"), rotated());
        assertEquals(List.of("first", "still the first hour"), Files.readAllLines(dir.resolve("audit.jsonl.20261130-090000")));
        assertEquals(List.of("second hour"), Files.readAllLines(f));
        Files.writeString(dir.resolve("audit.jsonl.20261130-090000-1"), "older\n");
        Files.writeString(dir.resolve("audit.jsonl.notes"), "not a rotated file: never deleted\n");
        try (AuditSink sink = AuditSink.file(f, new AuditRotation(1, Duration.ZERO, 1), clock)) {
            sink.write("after restart");
            sink.flush();
        }
        assertEquals(List.of("audit.jsonl.20261130-090000-2", "audit.jsonl.notes"), rotated(),
                "the taken name gets a suffix, keep 1 deletes the older ones, other files stay");
    }

    @Test
    void none_neverRotates_andBadSettingsAreRefused() throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (AuditSink sink = AuditSink.file(f, AuditRotation.NONE, clock)) {
            for (int i = 0; i < 100; i++) {
                sink.write("line " + i);
                clock.advance(Duration.ofDays(1));
            }
        }
        assertTrue(rotated().isEmpty());
        assertEquals(100, Files.readAllLines(f).size());
        assertThrows(IllegalArgumentException.class, () -> new AuditRotation(-1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new AuditRotation(1, Duration.ZERO, 0));
    }
}
