package io.nacgw.loadgen;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ReportTest {

    private static Report report(String target, double seconds, double serverCpu) {
        Map<String, Long> errors = new LinkedHashMap<>();
        errors.put("timeout", 2L);
        errors.put("mismatch", 0L);
        return new Report(target, "closed 64", "mab", true, 8, "compliant accept", seconds, 1000, 3, 998, 996, 10,
                1, 0, 1234.5678, 0.25, 0.5, 1.0, 2.0004, 3.5, 0.3333333, Map.of("b accept", 600L, "a reject", 398L),
                errors, 2, 2, 1.5, 75.25, serverCpu, new Report.Sender(1000, 99.95, 0.5004, 7.25, 1010, 4, 3, 1.25, 3.5, 8192, 1024.4));
    }

    @Test
    void toJson_isTheScriptsFormat_fieldByField() {
        assertEquals("{\"target\":\"127.0.0.1:1812\",\"mode\":\"closed 64\",\"shape\":\"mab\","
                + "\"messageAuthenticator\":true,\"sources\":8,\"expectations\":\"compliant accept\",\"seconds\":10.000,"
                + "\"sent\":1000,\"retransmissions\":3,\"answers\":998,\"ok\":996,\"warmupRequests\":10,"
                + "\"strayAnswers\":1,\"socketErrors\":0,\"throughput\":1234.568,"
                + "\"latencyMs\":{\"p50\":0.250,\"p90\":0.500,\"p99\":1.000,\"p99_9\":2.000,\"max\":3.500,\"mean\":0.333},"
                + "\"verdicts\":{\"a reject\":398,\"b accept\":600},\"errors\":{\"timeout\":2,\"mismatch\":0},"
                + "\"correctnessErrors\":2,\"availabilityErrors\":2,\"cpu\":{\"seconds\":1.500,\"percentOfOneCore\":75.250},"
                + "\"serverCpuPercentOfOneCore\":12.000,\"sender\":{\"scheduled\":1000,\"sendRate\":99.950,"
                + "\"lagP99Ms\":0.500,\"lagMaxMs\":7.250,\"received\":1010,\"receiveDrops\":4,\"measuredFailures\":3,"
                + "\"loopDelayP99Ms\":1.250,\"loopDelayMaxMs\":3.500,\"rxQueueMaxBytes\":8192,\"rxQueueMeanBytes\":1024.400},\"exitStatus\":1}",
                report("127.0.0.1:1812", 10, 12).toJson());
    }

    @Test
    void toText_isThePeoplesFormat_lineByLine() {
        assertEquals("target 127.0.0.1:1812, closed 64, shape mab, Message-Authenticator on, 8 source port(s)\n"
                + "expected: compliant accept\n"
                + "requests: 998 measured answers, window 10.00 s (1000 sent incl. 3 retransmissions, 10 in warm-up, "
                + "1 stray answers)\n"
                + "throughput: 1235 correct answers/s\n"
                + "latency ms: p50 0.250  p90 0.500  p99 1.000  p99.9 2.000  max 3.500  mean 0.333\n"
                + "verdicts:  a reject=398  b accept=600\n"
                + "errors:  timeout=2  mismatch=0  socket_errors=0\n"
                + "load generator: 1000 due in the window, sent 100/s, behind schedule p99 0.500 ms max 7.250 ms, "
                + "1010 datagrams received, 4 dropped by its own receive buffers, 3 due requests without a correct answer\n"
                + "load generator receive side: event loop late p99 1.250 ms max 3.500 ms, unread in its receive buffers max "
                + "8192 bytes mean 1024 bytes\n"
                + "load generator CPU: 1.50 s (75% of one core)\n"
                + "server CPU over the measured window: 12% of one core\n"
                + "result: FAILED, 2 wrong answer(s)\n",
                report("127.0.0.1:1812", 10, 12).toText().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void toJson_escapesQuotesAndBackslashes_andWritesNullForUnmeasuredNumbers() {
        String json = report("a\"b\\c", Double.NaN, -1).toJson();
        assertTrue(json.startsWith("{\"target\":\"a\\\"b\\\\c\","), json);
        assertTrue(json.contains("\"seconds\":null,"), json);
        assertTrue(json.contains("\"serverCpuPercentOfOneCore\":null,"), json);
    }

    @Test
    void senderNotMeasured_isLeftOutOfJsonAndText() {
        Report measured = report("127.0.0.1:1812", 10, 12);
        Report r = new Report(measured.target(), measured.mode(), measured.shape(), true, 8, "x", 10, 1, 0, 1, 1, 0, 0, 0,
                1, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), 0, 0, 1, 1, -1, Report.Sender.NOT_MEASURED);
        assertFalse(r.toJson().contains("sender"), r.toJson());
        assertFalse(r.toText().contains("load generator:"), r.toText());
    }
}
