package io.nacgw.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
 * @param sender        whether the load generator itself kept its schedule and took in every answer
 */
public record Report(String target, String mode, String shape, boolean messageAuthenticator, int sources, String expectations,
                     double seconds, long sent, long retransmissions, long answers, long ok, long warmupRequests,
                     long strayAnswers, long socketErrors, double throughput, double p50, double p90, double p99,
                     double p999, double max, double mean, Map<String, Long> verdicts, Map<String, Long> errors,
                     long correctnessErrors, long availabilityErrors, double cpuSeconds, double cpuPercent,
                     double serverCpuPercent, Sender sender) {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The load generator's own share of a result: a generator that falls behind its schedule or drops answers on its
     * own sockets measures itself, not the server.
     *
     * @param scheduled       requests due inside the measured window (open loop: rate × window)
     * @param sendRate        first transmissions actually made inside the window, per second
     * @param lagP99          ms from a measured request's intended to its actual first transmission, 99th percentile
     * @param lagMax          the same, maximum
     * @param received        datagrams read from the server over the whole run (warm-up, strays and wrong ones too):
     *                        what the server sent minus this is what never reached the generator
     * @param receiveDrops    answers the kernel dropped because the generator's own UDP sockets' receive buffers were
     *                        full (/proc/net/udp {@code drops}); RadSec (TCP) never drops
     * @param measuredFailures requests due inside the window without a correct answer (wrong, timed out, not sent);
     *                        the error counts above include the warm-up's requests too
     * @param loopDelayP99    ms an event loop came back late to its 1 ms tick, 99th percentile over the window: an
     *                        answer that arrives while the loop is busy waits in the socket about that long before it is
     *                        read and timestamped, so its latency includes the generator's own delay
     * @param loopDelayMax    the same, maximum
     * @param rxQueueMaxBytes the most bytes waiting unread in the generator's own UDP receive buffers at one sample
     *                        (every 200 ms over the window, /proc/net/udp {@code rx_queue}, kernel accounting bytes): 0
     *                        means every answer was read as it arrived; RadSec: 0
     * @param rxQueueMeanBytes the same, mean over the samples
     */
    public record Sender(long scheduled, double sendRate, double lagP99, double lagMax, long received,
                         long receiveDrops, long measuredFailures, double loopDelayP99, double loopDelayMax,
                         long rxQueueMaxBytes, double rxQueueMeanBytes) {
        /** For generators that do not measure their own schedule (HTTPS API, EAP-TLS conversations). */
        public static final Sender NOT_MEASURED = new Sender(-1, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1,
                Double.NaN, Double.NaN, -1, Double.NaN);

        public boolean measured() {
            return scheduled >= 0;
        }
    }

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
        b.append("latency ms:");
        String gap = " ";
        for (Latency l : latencies()) {
            b.append(String.format(Locale.ROOT, "%s%s %.3f", gap, l.text(), l.ms()));
            gap = "  ";
        }
        b.append('\n');
        counts().forEach((name, m) -> {
            b.append(name).append(':');
            m.forEach((k, v) -> b.append("  ").append(k).append('=').append(v));
            if (name.equals("errors")) {
                b.append(String.format(Locale.ROOT, "  socket_errors=%d", socketErrors));
            }
            b.append('\n');
        });
        if (sender.measured()) {
            b.append(String.format(Locale.ROOT, "load generator: %d due in the window, sent %.0f/s, behind schedule p99 %.3f ms "
                            + "max %.3f ms, %d datagrams received, %d dropped by its own receive buffers, %d due requests without a correct "
                            + "answer%n",
                    sender.scheduled(), sender.sendRate(), sender.lagP99(), sender.lagMax(), sender.received(), sender.receiveDrops(),
                    sender.measuredFailures()));
            b.append(String.format(Locale.ROOT, "load generator receive side: event loop late p99 %.3f ms max %.3f ms, unread in its "
                            + "receive buffers max %d bytes mean %.0f bytes%n",
                    sender.loopDelayP99(), sender.loopDelayMax(), sender.rxQueueMaxBytes(), sender.rxQueueMeanBytes()));
        }
        b.append(String.format(Locale.ROOT, "load generator CPU: %.2f s (%.0f%% of one core)%n", cpuSeconds, cpuPercent));
        if (serverCpuPercent >= 0) {
            b.append(String.format(Locale.ROOT, "server CPU over the measured window: %.0f%% of one core%n", serverCpuPercent));
        }
        b.append(exitStatus() == 0 ? "result: OK, every answer verified\n"
                : exitStatus() == 1 ? "result: FAILED, " + correctnessErrors + " wrong answer(s)\n"
                : "result: INCOMPLETE, " + availabilityErrors + " request(s) without an answer\n");
        return b.toString();
    }

    /** One JSON object, written by Jackson; numbers in milliseconds and seconds keep three decimals. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("target", target);
            g.writeStringField("mode", mode);
            g.writeStringField("shape", shape);
            g.writeBooleanField("messageAuthenticator", messageAuthenticator);
            g.writeNumberField("sources", sources);
            g.writeStringField("expectations", expectations);
            num(g, "seconds", seconds);
            g.writeNumberField("sent", sent);
            g.writeNumberField("retransmissions", retransmissions);
            g.writeNumberField("answers", answers);
            g.writeNumberField("ok", ok);
            g.writeNumberField("warmupRequests", warmupRequests);
            g.writeNumberField("strayAnswers", strayAnswers);
            g.writeNumberField("socketErrors", socketErrors);
            num(g, "throughput", throughput);
            g.writeObjectFieldStart("latencyMs");
            for (Latency l : latencies()) {
                num(g, l.json(), l.ms());
            }
            g.writeEndObject();
            for (Map.Entry<String, Map<String, Long>> c : counts().entrySet()) {
                counts(g, c.getKey(), c.getValue());
            }
            g.writeNumberField("correctnessErrors", correctnessErrors);
            g.writeNumberField("availabilityErrors", availabilityErrors);
            g.writeObjectFieldStart("cpu");
            num(g, "seconds", cpuSeconds);
            num(g, "percentOfOneCore", cpuPercent);
            g.writeEndObject();
            num(g, "serverCpuPercentOfOneCore", serverCpuPercent >= 0 ? serverCpuPercent : Double.NaN);
            if (sender.measured()) {
                g.writeObjectFieldStart("sender");
                g.writeNumberField("scheduled", sender.scheduled());
                num(g, "sendRate", sender.sendRate());
                num(g, "lagP99Ms", sender.lagP99());
                num(g, "lagMaxMs", sender.lagMax());
                g.writeNumberField("received", sender.received());
                g.writeNumberField("receiveDrops", sender.receiveDrops());
                g.writeNumberField("measuredFailures", sender.measuredFailures());
                num(g, "loopDelayP99Ms", sender.loopDelayP99());
                num(g, "loopDelayMaxMs", sender.loopDelayMax());
                g.writeNumberField("rxQueueMaxBytes", sender.rxQueueMaxBytes());
                num(g, "rxQueueMeanBytes", sender.rxQueueMeanBytes());
                g.writeEndObject();
            }
            g.writeNumberField("exitStatus", exitStatus());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** One latency figure: its JSON name, its name in the text, milliseconds. */
    private record Latency(String json, String text, double ms) {
    }

    /** The latency figures, in the order both renderings list them. */
    private List<Latency> latencies() {
        return List.of(new Latency("p50", "p50", p50), new Latency("p90", "p90", p90), new Latency("p99", "p99", p99),
                new Latency("p99_9", "p99.9", p999), new Latency("max", "max", max), new Latency("mean", "mean", mean));
    }

    /** The two count lists both renderings write: verdicts sorted by name, errors in their class order. */
    private Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        m.put("verdicts", new TreeMap<>(verdicts));
        m.put("errors", errors);
        return m;
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : m.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Three decimals, or null when not finite (a run too short to measure). */
    private static void num(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        if (Double.isFinite(v)) {
            g.writeNumber(String.format(Locale.ROOT, "%.3f", v));
        } else {
            g.writeNull();
        }
    }
}
