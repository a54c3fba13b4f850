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

    /**
     * A stable 64-bit fingerprint of what the NAS gets from this decision: the verdict and its response attributes
     * (not the reasons, which the NAS never sees). The same on every node and JVM (FNV-1a over the fields, each
     * ended by a separator, null distinct from empty), so a session can record the answer it was authorised with and
     * a CoA be sent only when a new decision's fingerprint differs.
     */
    public long answerHash() {
        ResponseAttributes a = attributes;
        long h = fnv(0xcbf29ce484222325L, verdict.wireName());
        for (Object f : new Object[]{a.vlan(), a.filterId(), a.role(), a.sessionTimeout(), a.redirectUrl(),
                a.redirectAcl(), a.replyMessage()}) {
            h = fnv(h, f == null ? null : f.toString());
        }
        return h;
    }

    private static long fnv(long h, String s) {
        if (s == null) {
            return (h ^ 0x1_0000) * 0x100000001b3L; // outside the char range: null is not ""
        }
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x1_0001) * 0x100000001b3L; // field separator
    }

    @Override
    public String toString() {
        return "Decision[" + profile + ": " + verdict.wireName() + " " + reasons() + "]";
    }
}
