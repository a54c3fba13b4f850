package io.nacgw.core.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer for one device on one network profile: verdict, reasons (most important first), remediation URL and
 * the profile's response attributes for that verdict. Immutable.
 */
public final class Decision {
    private static final ReasonCode[] CODES = ReasonCode.values();

    private final String profile;
    private final Verdict verdict;
    private final long reasonBits;
    private final ReasonCode primary;
    private final String remediationUrl;
    private final ResponseAttributes attributes;

    Decision(String profile, Verdict verdict, long reasonBits, ReasonCode primary, String remediationUrl,
             ResponseAttributes attributes) {
        if ((reasonBits & (1L << primary.ordinal())) == 0) {
            throw new IllegalArgumentException("the primary reason must be among the reasons");
        }
        this.primary = primary;
        this.profile = profile;
        this.verdict = verdict;
        this.reasonBits = reasonBits;
        this.remediationUrl = remediationUrl;
        this.attributes = attributes;
    }

    /** The profile (network) this decision is for. */
    public String profile() {
        return profile;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** Every reason that applied, most important first. */
    public List<ReasonCode> reasons() {
        List<ReasonCode> out = new ArrayList<>(Long.bitCount(reasonBits));
        for (ReasonCode c : CODES) {
            if ((reasonBits & (1L << c.ordinal())) != 0) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** True when {@code code} is among the reasons. */
    public boolean has(ReasonCode code) {
        return (reasonBits & (1L << code.ordinal())) != 0;
    }

    /** The reason that decided the verdict (the most important of those that asked for it). */
    public ReasonCode primaryReason() {
        return primary;
    }

    /** One sentence for people, e.g. "Denied: the device is not compliant with its compliance policies." */
    public String message() {
        String lead = verdict == Verdict.ALLOW ? "Allowed: " : verdict == Verdict.QUARANTINE ? "Quarantined: " : "Denied: ";
        return lead + primaryReason().sentence() + ".";
    }

    /** Where the user can enrol or fix the device; null when allowed. */
    public String remediationUrl() {
        return remediationUrl;
    }

    /** The profile's attributes for this verdict. */
    public ResponseAttributes attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "Decision[" + profile + ": " + verdict.wireName() + " " + reasons() + "]";
    }
}
