package io.nacgw.core.policy;

import java.util.List;

/**
 * A decision together with every rule that was evaluated and what it found, in words; for {@code devices explain}
 * and support tickets, never on the hot path.
 */
public record Explanation(Decision decision, List<Step> steps) {
    public Explanation {
        steps = List.copyOf(steps);
    }

    /**
     * One rule's outcome.
     *
     * @param rule    which rule
     * @param fired   true when the rule asked for something other than allow
     * @param outcome what the rule asked for (ALLOW when it passed)
     * @param detail  what it found, in words
     */
    public record Step(Rule rule, boolean fired, Verdict outcome, String detail) {
    }

    /** Multi-line text: the decision, then one line per rule. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("profile:  ").append(decision.profile()).append('\n');
        sb.append("verdict:  ").append(decision.verdict().wireName().toUpperCase(java.util.Locale.ROOT)).append('\n');
        sb.append("reasons:  ");
        decision.reasons().forEach(r -> sb.append(r.wireName()).append(' '));
        sb.append('\n').append("message:  ").append(decision.message()).append('\n');
        if (decision.remediationUrl() != null) {
            sb.append("remedy:   ").append(decision.remediationUrl()).append('\n');
        }
        sb.append("attributes: ").append(decision.attributes()).append('\n');
        sb.append("rules:\n");
        for (Step s : steps) {
            sb.append(String.format("  %-5s %-26s %s%n", s.fired ? s.outcome.wireName().toUpperCase(java.util.Locale.ROOT)
                    : "ok", s.rule.title(), s.detail));
        }
        return sb.toString();
    }
}
