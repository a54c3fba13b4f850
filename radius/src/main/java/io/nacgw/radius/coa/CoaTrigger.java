package io.nacgw.radius.coa;

import java.util.Locale;

/** Why a CoA was sent, as the audit log names it. */
public enum CoaTrigger {
    /** A committed device change altered the decision for a live session. */
    DEVICE_CHANGE,
    /** A policy reload altered a profile's decision for a live session. */
    POLICY_RELOAD,
    /** An operator asked for it (CLI or API). */
    OPERATOR;

    /** kebab-case for the audit log. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
