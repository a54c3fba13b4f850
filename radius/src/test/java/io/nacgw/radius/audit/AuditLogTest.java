package io.nacgw.radius.audit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class AuditLogTest {
    private static AuditEvent event(String user) {
        return new AuditEvent(Instant.parse("2026-11-23T12:00:00Z"), "sw1", "192.0.2.1", "mab",
                Map.of("User-Name", user), "mac:00:11:22:33:44:01", null, "corp", "reject",
                List.of("noncompliant"), null, 42);
    }

    @Test
    void toJson_escapesAndKeepsOneLine() {
        String json = event("a\"b\\c\nd\u0001").toJson();
        assertEquals("{\"time\":\"2026-11-23T12:00:00Z\",\"nas\":\"sw1\",\"nasAddress\":\"192.0.2.1\",\"method\":\"mab\","
                + "\"identifiers\":{\"User-Name\":\"a\\\"b\\\\c\\nd\\u0001\"},\"identifierUsed\":\"mac:00:11:22:33:44:01\","
                + "\"deviceId\":null,\"profile\":\"corp\",\"verdict\":\"reject\",\"reasons\":[\"noncompliant\"],"
                + "\"decisionId\":null,\"latencyMicros\":42}", json);
    }

    @Test
    void record_fullQueue_dropsAndCountsWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AuditSink blocked = line -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        AuditLog log = new AuditLog(blocked, 4);
        log.record(event("first"));
        assertTrue(entered.await(5, TimeUnit.SECONDS), "the writer is stuck in the sink");
        for (int i = 0; i < 20; i++) {
            log.record(event("u" + i)); // must return at once
        }
        assertEquals(16, log.dropped(), "4 wait in the queue; 16 of 20 dropped");
        release.countDown();
        log.close();
        assertEquals(5, log.written());
    }

    @Test
    void fileSink_appendsLines(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit/radius.jsonl");
        try (AuditLog log = new AuditLog(AuditSink.file(f), 100)) {
            log.record(event("x"));
            log.record(event("y"));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"User-Name\":\"y\""));
    }

    @Test
    void fileSink_reopenAfterRename_newLinesGoToANewFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        Path rotated = dir.resolve("audit.jsonl.1");
        try (AuditSink sink = AuditSink.file(f)) {
            sink.write("one");
            sink.flush();
            Files.move(f, rotated); // what logrotate does before its postrotate `nacgw reload`
            sink.write("two"); // still the open (renamed) file until a reopen is asked for
            sink.requestReopen();
            sink.write("three");
            sink.flush();
        }
        assertEquals(List.of("one", "two"), Files.readAllLines(rotated));
        assertEquals(List.of("three"), Files.readAllLines(f));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void timeFormat_printsExactlyWhatInstantToStringPrints() {
        AuditEvent.TimeFormat f = new AuditEvent.TimeFormat();
        java.util.Random r = new java.util.Random(1);
        long base = java.time.Instant.parse("2026-11-23T12:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                default -> r.nextInt(1_000_000_000);
            };
            java.time.Instant t = java.time.Instant.ofEpochSecond(base + r.nextInt(5), nanos);
            StringBuilder sb = new StringBuilder();
            f.append(sb, t);
            assertEquals(t.toString(), sb.toString());
        }
    }
}
