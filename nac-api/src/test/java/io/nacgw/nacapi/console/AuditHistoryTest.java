package io.nacgw.nacapi.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.nacgw.nacapi.console.DecisionFeedTest.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log read back from its end: newest first across rotated files, bounded, never the whole history. */
final class AuditHistoryTest {
    @TempDir
    Path dir;

    private static String lines(int from, int to, String nas) {
        return IntStream.range(from, to).mapToObj(i -> decision(i, nas, "accept", i) + "\n")
                .collect(Collectors.joining());
    }

    private void write(String name, String text, long secondsAgo) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    }

    @Test
    void recent_readsTheLiveFileThenRotatedOnes_newestFirst_skippingCompressedAndOtherFiles() throws Exception {
        write("audit.jsonl", lines(6, 8, "live"), 0);
        write("audit.jsonl.20261130-080000", lines(4, 6, "builtin"), 100);
        write("audit.jsonl.1", lines(2, 4, "logrotate"), 200);
        write("audit.jsonl.2.gz", "not text", 300);
        write("audit.jsonl.bak", lines(0, 2, "other"), 50);
        AuditHistory h = new AuditHistory(dir.resolve("audit.jsonl"), 1000);
        assertEquals(List.of(dir.resolve("audit.jsonl").toAbsolutePath(),
                dir.resolve("audit.jsonl.20261130-080000").toAbsolutePath(),
                dir.resolve("audit.jsonl.1").toAbsolutePath()), h.files());
        assertEquals(List.of(decision(7, "live", "accept", 7), decision(6, "live", "accept", 6),
                decision(5, "builtin", "accept", 5), decision(4, "builtin", "accept", 4),
                decision(3, "logrotate", "accept", 3), decision(2, "logrotate", "accept", 2)), h.recent(l -> true, 10));
        assertEquals(List.of(decision(3, "logrotate", "accept", 3)),
                h.recent(DecisionFeed.decisions(null, null, "logrotate"), 1));
        assertTrue(h.recent(DecisionFeed.decisions(null, null, "other"), 10).isEmpty(), "not an audit file");
    }

    @Test
    void recent_scansAtMostMaxLinesFromTheEnd_acrossBlocks() throws Exception {
        // 3,000 lines of ~300 bytes: many 64 KiB blocks, lines split across block edges
        write("audit.jsonl", decision(0, "old", "accept", 0) + "\n" + lines(1, 3001, "new"), 0);
        AuditHistory bounded = new AuditHistory(dir.resolve("audit.jsonl"), 3000);
        assertTrue(bounded.recent(DecisionFeed.decisions(null, null, "old"), 5).isEmpty(),
                "the first line is the 3001st from the end: beyond the bound");
        AuditHistory enough = new AuditHistory(dir.resolve("audit.jsonl"), 3001);
        assertEquals(List.of(decision(0, "old", "accept", 0)),
                enough.recent(DecisionFeed.decisions(null, null, "old"), 5));
        List<String> all = enough.recent(l -> true, 5000);
        assertEquals(3001, all.size());
        for (int i = 0; i < 3000; i++) {
            assertEquals(decision(3000 - i, "new", "accept", 3000 - i), all.get(i));
        }
    }

    @Test
    void recent_withoutAFile_isEmpty_andATornLastLineIsSkipped() throws Exception {
        assertTrue(new AuditHistory(dir.resolve("missing/audit.jsonl"), 10).recent(l -> true, 5).isEmpty());
        write("audit.jsonl", lines(0, 1, "sw1") + "\n\n" + "{\"time\":\"2026-11-30T08:", 0);
        assertEquals(List.of(decision(0, "sw1", "accept", 0)),
                new AuditHistory(dir.resolve("audit.jsonl"), 10).recent(l -> true, 5), "blank lines and the torn one skipped");
        assertThrows(IllegalArgumentException.class, () -> new AuditHistory(dir.resolve("audit.jsonl"), 0));
    }

    @Test
    void feed_readsTheHistory_onlyWhenTheRingHasNoMatch() throws Exception {
        write("audit.jsonl", lines(0, 3, "sw1"), 0);
        DecisionFeed feed = new DecisionFeed(10, new AuditHistory(dir.resolve("audit.jsonl"), 100));
        assertEquals(3, feed.recent(DecisionFeed.decisions(null, null, "sw1"), 10).size(), "from the file");
        feed.publish(decision(9, "sw1", "reject", 9));
        assertEquals(List.of(decision(9, "sw1", "reject", 9)), feed.recent(DecisionFeed.decisions(null, null, "sw1"), 10),
                "the ring has one: the file is not read");
    }
}
