package io.nacgw.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RadiusLoadGeneratorTest {
    private static final byte[] SECRET = "test-secret-4711".getBytes(StandardCharsets.US_ASCII);
    private static final SyntheticDevices DEVICES = new SyntheticDevices(5, 2000, SyntheticDevices.defaultMix(), "SYN-",
            Instant.parse("2026-11-23T12:00:00Z"));
    private static final Targets TARGETS = Targets.synthetic(DEVICES);
    private static final Expectations CORP = Expectations.preset("corp-wifi");

    private static LoadSettings closed(InetSocketAddress target, int concurrency, long requests, int sources) {
        return new LoadSettings(target, SECRET, concurrency, 0, null, requests, Duration.ZERO, RequestShape.MAB, true, true,
                sources, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
    }

    private static Report run(LoadSettings s, Expectations e, StringWriter progress) throws InterruptedException {
        return RadiusLoadGenerator.run(s, TARGETS, e, new PrintWriter(progress, true));
    }

    @Test
    void run_correctServer_everyClassMatchesAndExitIsZero() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            Report r = run(closed(server.address(), 16, 3000, 1), CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(3000, r.answers());
            assertEquals(3000, r.ok());
            assertEquals(0, server.badRequests.get());
            for (TargetClass c : TargetClass.values()) {
                String key = c.wireName() + " " + CORP.of(c);
                assertTrue(r.verdicts().getOrDefault(key, 0L) > 0, "no " + key + " in " + r.verdicts());
            }
            assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() <= r.max());
            assertTrue(r.throughput() > 0);
        }
    }

    @Test
    void run_allowlistServer_withAllowlistExpectations_isClean_withCorpWifiExpectations_isMismatch() throws Exception {
        Expectations allow = Expectations.preset("allowlist");
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, allow, FakeRadiusServer.Fault.NONE)) {
            assertEquals(0, run(closed(server.address(), 8, 1000, 1), allow, new StringWriter()).exitStatus());
            Report wrong = run(closed(server.address(), 8, 1000, 1), CORP, new StringWriter());
            assertEquals(1, wrong.exitStatus());
            assertTrue(wrong.errors().get("verdict_mismatch") > 0);
        }
    }

    @Test
    void run_serverFlipsVerdict_isCountedAsMismatch() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.FLIP_VERDICT)) {
            Report r = run(closed(server.address(), 8, 500, 1), CORP, new StringWriter());
            assertEquals(1, r.exitStatus());
            assertEquals(500, r.errors().get("verdict_mismatch"));
            assertEquals(0.0, r.throughput(), "wrong answers are not throughput: " + r.toText());
            assertTrue(r.toText().contains("FAILED"));
        }
    }

    @Test
    void run_badResponseAuthenticator_isDiscardedAndCounted_requestTimesOut() throws Exception {
        assertDiscarded(FakeRadiusServer.Fault.BAD_RESPONSE_AUTHENTICATOR, "bad_response_authenticator");
    }

    /** Answers a client must discard unverified: each transmission's answer is counted, each request times out. */
    private static void assertDiscarded(FakeRadiusServer.Fault fault, String error) throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, fault)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 20, 0, null, 40, Duration.ZERO, RequestShape.MAB,
                    true, true, 1, 1, Duration.ofMillis(100), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(1, r.exitStatus(), r.toText());
            assertEquals(80, r.errors().get(error), r.toText()); // original and retransmission
            assertEquals(40, r.errors().get("timeout"), r.toText());
            assertEquals(0, r.answers(), r.toText());
        }
    }

    @Test
    void run_missingMessageAuthenticator_isCounted() throws Exception {
        assertOnlyError(FakeRadiusServer.Fault.NO_MESSAGE_AUTHENTICATOR, "missing_message_authenticator");
    }

    @Test
    void run_messageAuthenticatorLast_isCounted() throws Exception {
        assertOnlyError(FakeRadiusServer.Fault.MESSAGE_AUTHENTICATOR_LAST, "message_authenticator_not_first");
    }

    @Test
    void run_malformedAnswer_isDiscardedAndCounted_requestTimesOut() throws Exception {
        assertDiscarded(FakeRadiusServer.Fault.MALFORMED, "malformed");
    }

    @Test
    void run_challenge_isUnexpectedCode() throws Exception {
        assertOnlyError(FakeRadiusServer.Fault.CHALLENGE, "unexpected_code");
    }

    private static void assertOnlyError(FakeRadiusServer.Fault fault, String error) throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, fault)) {
            Report r = run(closed(server.address(), 8, 300, 1), CORP, new StringWriter());
            assertEquals(1, r.exitStatus(), r.toText());
            assertEquals(300, r.errors().get(error), r.toText());
            assertEquals(300, r.correctnessErrors(), r.toText());
            assertTrue(r.toJson().contains("\"" + error + "\":300"), r.toJson());
        }
    }

    @Test
    void run_noMessageAuthenticatorRequired_acceptsAnswersWithoutIt() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NO_MESSAGE_AUTHENTICATOR)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 4, 0, null, 200, Duration.ZERO, RequestShape.MAB,
                    false, false, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertFalse(r.messageAuthenticator());
        }
    }

    @Test
    void run_serverDropsEverything_reportsTimeoutsAndEnds() throws Exception { // a hang is caught by the class @Timeout
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.DROP_ALL)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 20, 0, Duration.ofMillis(500), 0, Duration.ZERO,
                    RequestShape.MAB, true, true, 1, 1, Duration.ofMillis(100), 2, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(3, r.exitStatus(), r.toText());
            assertTrue(r.errors().get("timeout") >= 20, r.toText());
            assertEquals(0, r.answers());
            assertEquals(2 * r.errors().get("timeout"), r.retransmissions(), r.toText());
            assertTrue(r.toText().contains("INCOMPLETE"));
        }
    }

    @Test
    void run_serverDropsFirstTransmission_retransmissionGetsTheAnswer() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.DROP_FIRST_TRANSMISSION)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 20, 0, null, 40, Duration.ZERO, RequestShape.MAB,
                    true, true, 1, 1, Duration.ofMillis(300), 2, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertTrue(r.retransmissions() >= 40, r.toText());
            assertEquals(40, r.ok());
            assertTrue(r.p50() >= 290, "latency counts from the first transmission: " + r.p50());
        }
    }

    @Test
    void run_lateDuplicateAnswerAfterIdentifierReuse_isStrayNotError() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.DUPLICATE_LATE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 8, 0, Duration.ofMillis(800), 0, Duration.ZERO,
                    RequestShape.MAB, true, true, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertTrue(r.strayAnswers() > 0, r.toText());
        }
    }

    @Test
    void run_moreThan256Outstanding_spreadsOverSourcePorts() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            Report r = run(closed(server.address(), 600, 3000, 3), CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(3, server.sourcePorts.size());
            assertEquals(3000, r.ok());
        }
    }

    @Test
    void run_vpnShape_identifiesDeviceByCiscoMdmTlv() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 8, 0, null, 500, Duration.ZERO, RequestShape.VPN,
                    true, true, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(0, server.badRequests.get());
            assertEquals("vpn", r.shape());
        }
    }

    @Test
    void run_loginShape_sendsTheUserPasswordAndTheDeviceMacInCallingStationId() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 8, 0, null, 500, Duration.ZERO, RequestShape.LOGIN,
                    true, true, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(0, server.badRequests.get());
            assertEquals("login", r.shape());
        }
    }

    @Test
    void run_openLoopServerStall_showsInLatencyFromIntendedSendTime() throws Exception {
        // what the schedule alone decides (exact counts, latency and lag per request) is in SourcePortTest, on a clock
        // stepped by hand; here only what no slowness of this machine can change: the fake server answers nothing
        // until 300 ms after it got the first request (due at the start), so that one waits at least 300 ms, and
        // every request due in the first 200 ms (over a fifth of the run's) at least 100 ms
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.STALL_ONCE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 0, 400, Duration.ofSeconds(1), 0, Duration.ZERO,
                    RequestShape.MAB, true, true, 2, 1, Duration.ofSeconds(30), 0, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            StringWriter progress = new StringWriter();
            Report r = run(s, CORP, progress);
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(r.sender().scheduled(), r.answers(), "every due request answered: " + r.toText());
            assertTrue(r.max() >= 300, r.toText());
            assertTrue(r.p90() >= 100, r.toText());
            assertTrue(r.mode().startsWith("open loop"));
            assertTrue(progress.toString().contains("p99 so far"), progress.toString());
        }
    }

    @Test
    void run_warmup_isExcludedFromMeasuredRequests() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 4, 0, null, 200, Duration.ofMillis(300), RequestShape.MAB,
                    true, true, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(200, r.answers());
            assertTrue(r.warmupRequests() > 0);
            assertEquals(r.answers() + r.warmupRequests(), r.sent());
        }
    }

    @Test
    void run_openLoopAllIdentifiersBusy_countsNotSentAndTimeoutsWithoutHanging() throws Exception {
        // the exact split (256 timeouts, 744 not sent) is in SourcePortTest; a run ends (a hang is caught by the class
        // @Timeout) and accounts for every due request, however late this machine runs its ticks
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.DROP_ALL)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 0, 2000, Duration.ofMillis(500), 0, Duration.ZERO,
                    RequestShape.MAB, true, true, 1, 1, Duration.ofSeconds(1), 0, 0.1, 1, true, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(3, r.exitStatus(), r.toText());
            long timeouts = r.errors().get("timeout");
            // one source port: 256 identifiers, none free again (1 s timeout, then 1 s cooling) before issuing ends
            assertTrue(timeouts > 0 && timeouts <= 256, r.toText());
            assertEquals(r.sent(), timeouts, "every transmission timed out: " + r.toText());
            assertEquals(r.sender().scheduled(), timeouts + r.errors().get("not_sent"), r.toText());
            assertEquals(r.sender().scheduled(), r.sender().measuredFailures(), r.toText());
        }
    }

    @Test
    void run_nioTransport_behavesLikeEpoll() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 32, 0, null, 1000, Duration.ZERO, RequestShape.MAB,
                    true, true, 2, 2, Duration.ofMillis(500), 1, 0.1, 1, false, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertEquals(1000, r.ok());
        }
    }

    @Test
    void run_serverPid_reportsServerCpuOverTheMeasuredWindow() throws Exception {
        // the fake server runs in this JVM, so our own pid is "the server"
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            LoadSettings s = new LoadSettings(server.address(), SECRET, 8, 0, Duration.ofMillis(600), 0, Duration.ofMillis(200),
                    RequestShape.MAB, true, true, 1, 1, Duration.ofMillis(500), 1, 0.1, 1, true, ProcessHandle.current().pid(), LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = run(s, CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            assertTrue(r.serverCpuPercent() > 0, r.toText());
            assertTrue(r.toText().contains("server CPU over the measured window"), r.toText());
            // duration mode: throughput is answers received within the 600 ms window over exactly that window
            assertEquals(0.6, r.seconds(), 1e-9);
            assertTrue(r.throughput() > 0 && r.throughput() <= (r.answers() + r.warmupRequests()) / 0.6, r.toText());
        }
    }

    @Test
    void report_jsonAndText_carryEveryErrorClassAndCpu() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            // enough requests for the process CPU clock (10 ms ticks on Linux) to move
            Report r = run(closed(server.address(), 16, 5000, 1), CORP, new StringWriter());
            String json = r.toJson();
            for (io.nacgw.loadgen.radius.ReplyError e : io.nacgw.loadgen.radius.ReplyError.values()) {
                assertTrue(json.contains("\"" + e.wireName() + "\":0"), json);
                assertTrue(r.toText().contains(e.wireName() + "=0"), r.toText());
            }
            assertTrue(json.contains("\"percentOfOneCore\":"));
            assertTrue(json.contains("\"p99_9\":"));
            assertTrue(r.cpuSeconds() > 0, r.toText());
            assertEquals(-1, r.serverCpuPercent());
            assertTrue(json.contains("\"serverCpuPercentOfOneCore\":null"), json);
            assertFalse(json.contains("test-secret"));
            assertFalse(r.toText().contains("test-secret"));
        }
    }

    private static LoadSettings open(InetSocketAddress target, double rate, Duration duration, Duration warmup, int sources,
                                     Duration timeout, int receiveBuffer) {
        return new LoadSettings(target, SECRET, 0, rate, duration, 0, warmup, RequestShape.MAB, true, true, sources, 1,
                timeout, 0, 0.1, 1, true, 0, receiveBuffer);
    }

    @Test
    void sender_openLoopOnSchedule_reportsDueRequestsSendRateAndNoFailures() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE)) {
            Report r = run(open(server.address(), 400, Duration.ofSeconds(1), Duration.ofMillis(300), 2,
                    Duration.ofSeconds(2), LoadSettings.DEFAULT_RECEIVE_BUFFER), CORP, new StringWriter());
            assertEquals(0, r.exitStatus(), r.toText());
            Report.Sender sender = r.sender();
            assertTrue(sender.measured());
            // two ports of 200/s each: 200 intended times of each fall in the 1 s window
            assertTrue(sender.scheduled() >= 398 && sender.scheduled() <= 402, r.toText());
            assertTrue(sender.sendRate() > 0 && sender.sendRate() <= 402, r.toText());
            assertEquals(0, sender.measuredFailures(), r.toText());
            assertEquals(0, sender.receiveDrops(), r.toText());
            assertEquals(server.received.get(), sender.received(), "one answer per request: " + r.toText());
            assertTrue(r.toText().contains("due in the window"), r.toText());
            assertTrue(r.toJson().contains("\"sender\":{\"scheduled\":" + sender.scheduled() + ","), r.toJson());
        }
    }

    @Test
    void sender_requestsWaitingForAnIdentifier_showAsLagBehindSchedule() throws Exception {
        // one port, 2,000/s: requests 0..255 (due by 128 ms) take every identifier, and the fake server answers none
        // before 300 ms, so request 256 (due at 128 ms) leaves at 300 ms or later, at least 172 ms behind schedule,
        // however slow this machine is; unless the run ended before it could leave (then it is not_sent) or before it
        // fell due. The exact lag of every request is in SourcePortTest.
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.STALL_ONCE)) {
            Report r = run(open(server.address(), 2000, Duration.ofSeconds(1), Duration.ZERO, 1, Duration.ofSeconds(30),
                    LoadSettings.DEFAULT_RECEIVE_BUFFER), CORP, new StringWriter());
            boolean request256Sent = r.sender().scheduled() > 256 && r.errors().get("not_sent") == 0;
            assertTrue(!request256Sent || r.sender().lagMax() >= 172, r.toText());
            assertTrue(r.sender().lagMax() >= r.sender().lagP99(), r.toText());
        }
    }

    @Test
    void sender_failuresOfWarmupRequests_areNotMeasuredFailures() throws Exception {
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.DROP_ALL)) {
            Report r = run(open(server.address(), 200, Duration.ofMillis(400), Duration.ofMillis(400), 2,
                    Duration.ofMillis(200), LoadSettings.DEFAULT_RECEIVE_BUFFER), CORP, new StringWriter());
            assertEquals(3, r.exitStatus(), r.toText());
            // every due request failed, and the warm-up's ~80 timeouts are counted as errors but not as measured failures
            assertEquals(r.sender().scheduled(), r.sender().measuredFailures(), r.toText());
            assertTrue(r.errors().get("timeout") >= r.sender().measuredFailures() + 60, r.toText());
        }
    }

    @Test
    void sender_answersItsOwnFullReceiveBufferDropped_areReported() throws Exception {
        // a socket buffer of the kernel's minimum holds a few datagrams; each answer comes with 200 copies at once
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.FLOOD)) {
            Report r = run(open(server.address(), 200, Duration.ofMillis(500), Duration.ZERO, 1, Duration.ofSeconds(2), 1),
                    CORP, new StringWriter());
            assertTrue(r.sender().receiveDrops() > 0, r.toText());
            long sentByServer = server.received.get() * (1L + FakeRadiusServer.FLOOD_COPIES);
            long accounted = r.sender().received() + r.sender().receiveDrops();
            // all but at most the last answer's copies, which may still be queued when the run ends
            assertTrue(accounted <= sentByServer && accounted >= sentByServer - FakeRadiusServer.FLOOD_COPIES, r.toText());
            assertTrue(r.toJson().contains("\"receiveDrops\":" + r.sender().receiveDrops()), r.toJson());
        }
    }

    @Test
    void settings_receiveBufferOutOfRange_isRejected() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> open(new InetSocketAddress("127.0.0.1", 1812), 10, Duration.ofSeconds(1), Duration.ZERO, 1,
                        Duration.ofSeconds(1), 0));
        assertTrue(e.getMessage().contains("--receive-buffer"), e.getMessage());
    }

    @Test
    void run_answerArrivingAfterItsTimeoutOnAReusedIdentifier_isStrayNotWrong() throws Exception {
        // 50 ms timeout, answers 100-1,000 ms late: most arrive while their identifier carries a newer request
        try (FakeRadiusServer server = new FakeRadiusServer(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.ANSWER_LATE)) {
            Report r = run(open(server.address(), 1000, Duration.ofSeconds(1), Duration.ZERO, 1, Duration.ofMillis(50),
                    LoadSettings.DEFAULT_RECEIVE_BUFFER), CORP, new StringWriter());
            assertEquals(0, r.errors().get("bad_response_authenticator"), r.toText());
            assertEquals(3, r.exitStatus(), "timeouts only: " + r.toText());
            assertTrue(r.strayAnswers() > 100, r.toText());
        }
    }

    @Test
    void sender_sendsThatFail_areAccounted_everyDueRequestEndsOnceAsTimeoutOrNotSent() throws Exception {
        // nothing listens on the target: the kernel refuses the connected port's sends after the first ICMP
        // unreachable, so many writes of a flush fail; every due request still has exactly one outcome
        int closed;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closed = s.getLocalPort();
        }
        Report r = run(open(new InetSocketAddress("127.0.0.1", closed), 2000, Duration.ofMillis(500), Duration.ZERO, 2,
                Duration.ofMillis(50), LoadSettings.DEFAULT_RECEIVE_BUFFER), CORP, new StringWriter());
        assertEquals(3, r.exitStatus(), r.toText());
        assertTrue(r.socketErrors() > 0, "refused sends are counted: " + r.toText());
        assertEquals(0, r.answers(), r.toText());
        assertEquals(r.sender().scheduled(), r.sender().measuredFailures(), r.toText());
        assertEquals(r.sender().scheduled(), r.errors().get("timeout") + r.errors().get("not_sent"), r.toText());
        assertEquals(r.sent(), r.errors().get("timeout"), "every transmission (no retries) timed out once: " + r.toText());
    }
}
