package io.nacgw.certs;

import java.util.Objects;

/** A subject-alternative-name URI that did not yield a device id, and why (the value is escaped and capped). */
public record SkippedSan(String value, String reason) {
    public SkippedSan {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
    }
}
