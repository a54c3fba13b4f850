package io.nacgw.gateway.config;

import java.nio.file.Path;

/**
 * {@code audit:} the decision log (JSON lines).
 *
 * @param file      where decisions are appended; relative paths are under the data directory
 * @param queueSize decisions waiting to be written; beyond it they are dropped and counted, never blocking a request
 */
public record AuditConfig(Path file, Integer queueSize) {
    public AuditConfig {
        file = file == null ? Path.of("audit.jsonl") : file;
        queueSize = queueSize == null ? 65_536 : queueSize;
        if (queueSize < 16 || queueSize > 10_000_000) {
            throw new IllegalArgumentException("audit.queueSize must be 16 to 10000000, got " + queueSize);
        }
    }

    static AuditConfig defaults() {
        return new AuditConfig(null, null);
    }
}
