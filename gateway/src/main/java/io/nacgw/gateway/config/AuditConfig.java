package io.nacgw.gateway.config;

import io.nacgw.radius.audit.AuditRotation;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code audit:} the decision log (JSON lines).
 *
 * @param file      where decisions are appended; relative paths are under the data directory
 * @param queueSize decisions waiting to be written; beyond it they are dropped and counted, never blocking a request
 * @param rotate    built-in rotation (off unless a size or an interval is set; logrotate is the alternative)
 */
public record AuditConfig(Path file, Integer queueSize, Rotate rotate) {
    public AuditConfig {
        file = file == null ? Path.of("audit.jsonl") : file;
        queueSize = queueSize == null ? 65_536 : queueSize;
        if (queueSize < 16 || queueSize > 10_000_000) {
            throw new IllegalArgumentException("audit.queueSize must be 16 to 10000000, got " + queueSize);
        }
        rotate = rotate == null ? new Rotate(null, null, null) : rotate;
    }

    static AuditConfig defaults() {
        return new AuditConfig(null, null, null);
    }

    /**
     * {@code audit.rotate:} rename the file to {@code FILE.yyyyMMdd-HHmmss} (UTC) and start a new one when it would
     * grow past {@code maxMegabytes}, or at the first decision once {@code interval} has passed since it was started;
     * keep the newest {@code keep} rotated files.
     */
    public record Rotate(Integer maxMegabytes, Duration interval, Integer keep) {
        public Rotate {
            if (maxMegabytes != null && (maxMegabytes < 1 || maxMegabytes > 1_000_000)) {
                throw new IllegalArgumentException("audit.rotate.maxMegabytes must be 1 to 1000000, got " + maxMegabytes);
            }
            if (interval != null && interval.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("audit.rotate.interval must be at least 1m, got " + interval);
            }
            keep = keep == null ? 10 : keep;
            if (keep < 1 || keep > 10_000) {
                throw new IllegalArgumentException("audit.rotate.keep must be 1 to 10000, got " + keep);
            }
        }

        /** What the audit file sink does. */
        public AuditRotation rotation() {
            return new AuditRotation(maxMegabytes == null ? 0 : maxMegabytes * 1024L * 1024L,
                    interval == null ? Duration.ZERO : interval, keep);
        }
    }
}
