package io.nacgw.radius.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.DirectoryStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit file: appended to, owner-only, and reopened on request so an external rotation (logrotate's rename,
 * then {@code nacgw reload}) moves new lines to a new file without a restart; optionally rotated by itself
 * ({@link AuditRotation}). Written by one thread only.
 */
final class FileSink implements AuditSink {
    private static final Logger log = LoggerFactory.getLogger(FileSink.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path file;
    private final AuditRotation rotation;
    private final Clock clock;
    private final AtomicBoolean reopen = new AtomicBoolean();
    private BufferedWriter writer;
    /** Bytes in the live file (what it had when opened, and what was written since). */
    private long bytes;
    private Instant rotateAt;
    /** The line being written when it comes as a builder. */
    private char[] chars = new char[512];

    FileSink(Path file, AuditRotation rotation, Clock clock) throws IOException {
        this.file = file;
        this.rotation = rotation;
        this.clock = clock;
        openLive();
    }

    private void openLive() throws IOException {
        writer = open(file);
        bytes = Files.size(file);
        rotateAt = rotation.interval().isZero() ? null : clock.instant().plus(rotation.interval());
    }

    private static BufferedWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            io.nacgw.core.files.OwnerOnly.createDirectories(parent);
        }
        io.nacgw.core.files.OwnerOnly.createFile(file);
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    @Override
    public void write(String line) throws IOException {
        append(line);
    }

    @Override
    public void writeLine(StringBuilder line) throws IOException {
        append(line);
    }

    private void append(CharSequence line) throws IOException {
        if (reopen.getAndSet(false)) {
            writer.close(); // flushes what the old file still had to get
            openLive();
        }
        long size = utf8Length(line) + 1;
        if (rotation.enabled() && bytes > 0 && ((rotation.maxBytes() > 0 && bytes + size > rotation.maxBytes())
                || (rotateAt != null && !clock.instant().isBefore(rotateAt)))) {
            rotate();
        }
        if (line instanceof String) {
            writer.write((String) line);
        } else { // through a reused array: no String per line
            int n = line.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            ((StringBuilder) line).getChars(0, n, chars, 0);
            writer.write(chars, 0, n);
        }
        writer.write('\n');
        bytes += size;
    }

    /** Renames the live file to FILE.yyyyMMdd-HHmmss (-N when taken), starts a new one, prunes beyond keep. */
    private void rotate() throws IOException {
        writer.close();
        String base = file.getFileName() + "." + STAMP.format(clock.instant());
        Path target = file.resolveSibling(base);
        for (int n = 1; Files.exists(target); n++) {
            target = file.resolveSibling(base + "-" + n);
        }
        Files.move(file, target);
        openLive();
        prune();
    }

    private void prune() throws IOException {
        String prefix = file.getFileName() + ".";
        List<Path> rotated = new ArrayList<>();
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) { // the file system root is no audit file
            return;
        }
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : d) {
                Path name = p.getFileName();
                if (name != null && ROTATED.matcher(name.toString().substring(prefix.length())).matches()) {
                    rotated.add(p);
                }
            }
        }
        // the stamp sorts by time; -N suffixes of one second sort after it, in order
        rotated.sort(Comparator.comparing((Path p) -> p.getFileName().toString().substring(prefix.length(),
                prefix.length() + 15)).thenComparingInt(p -> suffix(p.getFileName().toString(), prefix)));
        for (int i = 0; i < rotated.size() - rotation.keep(); i++) {
            try {
                Files.deleteIfExists(rotated.get(i));
            } catch (IOException e) {
                log.warn("cannot delete the old audit file {}: {}", rotated.get(i), e.getMessage());
            }
        }
    }

    private static final Pattern ROTATED = Pattern.compile("\\d{8}-\\d{6}(-\\d+)?");

    private static int suffix(String name, String prefix) {
        String rest = name.substring(prefix.length() + 15);
        return rest.isEmpty() ? 0 : Integer.parseInt(rest.substring(1));
    }

    private static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void requestReopen() {
        reopen.set(true);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    @Override
    public String toString() {
        return "AuditSink[" + file + "]";
    }
}
