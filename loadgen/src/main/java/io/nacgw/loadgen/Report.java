package io.nacgw.loadgen;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a run, rendered as text for people and JSON for scripts. Latencies are in milliseconds; in the open
 * loop they are measured from each request's intended send time.
 *
 * @param seconds       the measured window: the duration, or with a request count warm-up end to the last answer
 * @param throughput    correct answers received in the window per second (wrong ones and errors never count)
 * @param shape         RADIUS request shape (mab, vpn, eap-tls …: one answer is then a whole EAP-TLS conversation)
 *                      or HTTPS API mode (ise-v3, ise-v2, json)
 * @param sources       UDP source ports (RADIUS) or connections (HTTPS API)
 * @param verdicts      "class verdict" (e.g. "compliant accept:100") → answers
 * @param errors        error class wire name → count, every class listed even when zero
 * @param cpuPercent    this process's CPU time over the run's wall time (100 = one core busy)
 * @param serverCpuPercent  the server's CPU over the measured window (--server-pid), or -1 when not measured
 */
public record Report(String target, String mode, String shape, boolean messageAuthenticator, int sources, String expectations,
                     double seconds, long sent, long retransmissions, long answers, long ok, long warmupRequests,
                     long strayAnswers, long socketErrors, double throughput, double p50, double p90, double p99,
                     double p999, double max, double mean, Map<String, Long> verdicts, Map<String, Long> errors,
                     long correctnessErrors, long availabilityErrors, double cpuSeconds, double cpuPercent,
                     double serverCpuPercent) {
    public Report {
        verdicts = Map.copyOf(new LinkedHashMap<>(verdicts));
        errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** 0: every answer right; 1: some answer wrong (mismatch, authenticator, malformed...); 3: only timeouts/unsent. */
    public int exitStatus() {
        return correctnessErrors > 0 ? 1 : availabilityErrors > 0 ? 3 : 0;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        if (shape.equals("mab") || shape.equals("vpn") || shape.equals("login") || shape.startsWith("eap-tls")) {
            b.append(String.format(Locale.ROOT, "target %s, %s, shape %s, Message-Authenticator %s, %d source port(s)%n",
                    target, mode, shape, messageAuthenticator ? "on" : "off", sources));
        } else {
            b.append(String.format(Locale.ROOT, "target %s, %s, API %s, %d connection(s)%n", target, mode, shape, sources));
        }
        b.append("expected: ").append(expectations).append('\n');
        b.append(String.format(Locale.ROOT, "requests: %d measured answers, window %.2f s (%d sent incl. %d retransmissions, %d in warm-up, %d stray answers)%n",
                answers, seconds, sent, retransmissions, warmupRequests, strayAnswers));
        b.append(String.format(Locale.ROOT, "throughput: %.0f correct answers/s%n", throughput));
        b.append(String.format(Locale.ROOT, "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                p50, p90, p99, p999, max, mean));
        b.append("verdicts:");
        verdicts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("  ").append(e.getKey()).append('=').append(e.getValue()));
        b.append('\n').append("errors:");
        errors.forEach((k, v) -> b.append("  ").append(k).append('=').append(v));
        b.append(String.format(Locale.ROOT, "  socket_errors=%d%n", socketErrors));
        b.append(String.format(Locale.ROOT, "load generator CPU: %.2f s (%.0f%% of one core)%n", cpuSeconds, cpuPercent));
        if (serverCpuPercent >= 0) {
            b.append(String.format(Locale.ROOT, "server CPU over the measured window: %.0f%% of one core%n", serverCpuPercent));
        }
        b.append(exitStatus() == 0 ? "result: OK, every answer verified\n"
                : exitStatus() == 1 ? "result: FAILED, " + correctnessErrors + " wrong answer(s)\n"
                : "result: INCOMPLETE, " + availabilityErrors + " request(s) without an answer\n");
        return b.toString();
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        field(b, "target", target).append(',');
        field(b, "mode", mode).append(',');
        field(b, "shape", shape).append(',');
        b.append("\"messageAuthenticator\":").append(messageAuthenticator).append(',');
        b.append("\"sources\":").append(sources).append(',');
        field(b, "expectations", expectations).append(',');
        num(b, "seconds", seconds);
        b.append("\"sent\":").append(sent).append(",\"retransmissions\":").append(retransmissions)
                .append(",\"answers\":").append(answers).append(",\"ok\":").append(ok)
                .append(",\"warmupRequests\":").append(warmupRequests).append(",\"strayAnswers\":").append(strayAnswers)
                .append(",\"socketErrors\":").append(socketErrors).append(',');
        num(b, "throughput", throughput);
        b.append("\"latencyMs\":{");
        num(b, "p50", p50);
        num(b, "p90", p90);
        num(b, "p99", p99);
        num(b, "p99_9", p999);
        num(b, "max", max);
        b.append("\"mean\":").append(fmt(mean)).append("},");
        b.append("\"verdicts\":");
        counts(b, new java.util.TreeMap<>(verdicts)).append(',');
        b.append("\"errors\":");
        counts(b, errors).append(',');
        b.append("\"correctnessErrors\":").append(correctnessErrors).append(",\"availabilityErrors\":").append(availabilityErrors).append(',');
        b.append("\"cpu\":{");
        num(b, "seconds", cpuSeconds);
        b.append("\"percentOfOneCore\":").append(fmt(cpuPercent)).append("},");
        b.append("\"serverCpuPercentOfOneCore\":").append(serverCpuPercent >= 0 ? fmt(serverCpuPercent) : "null").append(',');
        b.append("\"exitStatus\":").append(exitStatus()).append('}');
        return b.toString();
    }

    private static StringBuilder counts(StringBuilder b, Map<String, Long> m) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            quote(b, e.getKey()).append(':').append(e.getValue());
        }
        return b.append('}');
    }

    private static void num(StringBuilder b, String k, double v) {
        quote(b, k).append(':').append(fmt(v)).append(',');
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }

    private static StringBuilder field(StringBuilder b, String k, String v) {
        return quote(quote(b, k).append(':'), v);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }
}
