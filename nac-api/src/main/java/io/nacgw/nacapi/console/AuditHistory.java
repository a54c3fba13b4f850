package io.nacgw.nacapi.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The audit log read back from its end, for a device's last decisions after a restart (the in-memory ring of
 * {@link DecisionFeed} starts empty). Reads the live file, then its rotated files ({@code FILE.yyyyMMdd-HHmmss[-N]}
 * of the built-in rotation, {@code FILE.N} of logrotate; compressed ones are skipped), newest first, each backwards
 * in blocks (a last line without its newline is still being written and is skipped), and stops after
 * {@code maxLines} lines in all: a query costs at most that many lines of reading, never
 * the whole history. Blocking file I/O: call it from a worker, never from an event loop.
 */
public final class AuditHistory {
    private static final Logger log = LoggerFactory.getLogger(AuditHistory.class);
    private static final Pattern ROTATED = Pattern.compile("\\d{8}-\\d{6}(-\\d+)?|\\d{1,5}");
    private static final int BLOCK = 64 * 1024;
    /** A longer line is not a decision the gateway wrote: skipped. */
    private static final int MAX_LINE = 1024 * 1024;

    private final Path file;
    private final int maxLines;

    /** Reads {@code file} and its rotated siblings, at most {@code maxLines} lines (1 or more) per query. */
    public AuditHistory(Path file, int maxLines) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be at least 1, got " + maxLines);
        }
        this.file = file.toAbsolutePath();
        this.maxLines = maxLines;
    }

    /**
     * The newest lines that {@code match}, newest first, at most {@code limit}, among the last {@code maxLines} lines
     * of the audit files. A file that cannot be read ends the search with what was found (logged once per query).
     */
    public List<String> recent(Predicate<String> match, int limit) {
        List<String> out = new ArrayList<>();
        int[] budget = {maxLines};
        for (Path p : files()) {
            try {
                if (!scan(p, match, limit, out, budget)) {
                    break;
                }
            } catch (NoSuchFileException gone) {
                // rotated or pruned meanwhile: the next file has the older lines
            } catch (IOException e) {
                log.warn("cannot read the audit file {} for recent decisions: {}", p, e.toString());
                break;
            }
        }
        return out;
    }

    /** The live file, then the rotated ones, newest first by modification time. */
    List<Path> files() {
        List<Path> rotated = new ArrayList<>();
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> d = Files.newDirectoryStream(file.getParent(), prefix + "*")) {
            for (Path p : d) {
                if (ROTATED.matcher(p.getFileName().toString().substring(prefix.length())).matches()) {
                    rotated.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.warn("cannot list the rotated audit files beside {}: {}", file, e.toString());
        }
        rotated.sort(Comparator.comparing(AuditHistory::modified).reversed()
                .thenComparing(Comparator.comparing(Path::toString).reversed()));
        List<Path> all = new ArrayList<>();
        all.add(file);
        all.addAll(rotated);
        return all;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Scans {@code p} backwards; false once {@code limit} matches were found or the line budget is spent. */
    private static boolean scan(Path p, Predicate<String> match, int limit, List<String> out, int[] budget)
            throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long pos = ch.size();
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            ByteArrayOutputStream partial = new ByteArrayOutputStream(); // the line being assembled, reversed
            boolean overlong = pos > 0 && !endsWithNewline(ch, pos); // a line being written: not read (skipped)
            while (pos > 0) {
                int n = (int) Math.min(BLOCK, pos);
                pos -= n;
                block.clear().limit(n);
                while (block.hasRemaining()) {
                    if (ch.read(block, pos + block.position()) < 0) {
                        throw new IOException("truncated while reading");
                    }
                }
                byte[] b = block.array();
                for (int i = n - 1; i >= 0; i--) {
                    if (b[i] != '\n') {
                        if (partial.size() < MAX_LINE) {
                            partial.write(b[i]);
                        } else {
                            overlong = true;
                        }
                        continue;
                    }
                    if (!line(partial, overlong, match, limit, out, budget)) {
                        return false;
                    }
                    partial.reset();
                    overlong = false;
                }
            }
            return line(partial, overlong, match, limit, out, budget);
        }
    }

    private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        return ch.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    /** Takes one complete line (bytes reversed); false when the search is over. */
    private static boolean line(ByteArrayOutputStream reversed, boolean overlong, Predicate<String> match, int limit,
                                List<String> out, int[] budget) {
        if (reversed.size() == 0) {
            return true; // the file's final newline, or an empty line: not a line of the log
        }
        budget[0]--;
        if (!overlong) {
            byte[] r = reversed.toByteArray();
            for (int i = 0, j = r.length - 1; i < j; i++, j--) {
                byte t = r[i];
                r[i] = r[j];
                r[j] = t;
            }
            String s = new String(r, StandardCharsets.UTF_8);
            if (s.startsWith("{") && match.test(s)) {
                out.add(s);
            }
        }
        return out.size() < limit && budget[0] > 0;
    }
}
