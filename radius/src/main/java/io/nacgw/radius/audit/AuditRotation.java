package io.nacgw.radius.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * Built-in rotation of the audit file ({@code audit.rotate.*}): when the file would grow past {@code maxBytes}, or
 * at the first line once {@code interval} has passed since the file was opened, it is renamed to
 * {@code FILE.yyyyMMdd-HHmmss} (UTC) and a new one is started; only the newest {@code keep} rotated files are kept.
 *
 * @param maxBytes size limit of the live file (0: no size limit)
 * @param interval age limit of the live file ({@link Duration#ZERO}: none)
 * @param keep     rotated files kept (older ones are deleted)
 */
public record AuditRotation(long maxBytes, Duration interval, int keep) {
    /** No built-in rotation (an external logrotate may still rename the file and ask for a reopen). */
    public static final AuditRotation NONE = new AuditRotation(0, Duration.ZERO, 1);

    public AuditRotation {
        Objects.requireNonNull(interval, "interval");
        if (maxBytes < 0 || interval.isNegative() || keep < 1) {
            throw new IllegalArgumentException("audit rotation: maxBytes and interval must not be negative and keep"
                    + " must be at least 1");
        }
    }

    /** True when a size or an age limit is set. */
    public boolean enabled() {
        return maxBytes > 0 || !interval.isZero();
    }
}
