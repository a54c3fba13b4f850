package io.nacgw.nacapi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nacgw.core.testing.Await;
import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an unauthenticated peer can trigger over and over produces one WARN line per reason and source, with no
 * stack trace anywhere in the log (ours or Netty's): real curl with a self-signed client certificate, and an
 * HTTP/2 request whose body does not match its content-length.
 */
final class PeerErrorLogTest {
    /**
     * Everything logged anywhere (root logger) from the start of {@code body} until {@code done} holds for what was
     * logged: the server's side of the last failure may still be on its event loop when the client returns, so the
     * capture waits (bounded) for the condition instead of for a fixed time.
     */
    private static List<ILoggingEvent> capture(ThrowingRunnable body, Predicate<List<ILoggingEvent>> done, String what)
            throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            body.run();
            Await.until(() -> done.test(snapshot(appender)), what, 30);
        } finally {
            root.detachAppender(appender);
        }
        return snapshot(appender);
    }

    /** A copy of what {@code appender} holds: it appends under its own lock (AppenderBase) on the server's threads. */
    private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<String> peerWarnings(List<ILoggingEvent> events, String reason) {
        return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("peer error " + reason))
                .collect(Collectors.toList());
    }

    private static void assertNoStackTrace(List<ILoggingEvent> events) {
        for (ILoggingEvent e : events) {
            assertEquals(null, e.getThrowableProxy(), "stack trace logged: " + e.getLoggerName() + " " + e.getFormattedMessage());
        }
    }

    @Test
    void selfSignedClientCertificate_fiveTimes_isOneLine_withoutStackTrace() throws Exception {
        Path openssl = Needs.executable("openssl", "/usr/bin/openssl");
        try (TestGateway gw = TestGateway.start()) {
            Path key = gw.dir.resolve("self.key");
            Path cert = gw.dir.resolve("self.pem");
            Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                    "-subj", "/CN=intruder").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl req failed");
            long before = gw.server.guardStats().peerErrors().get("tls_handshake");
            List<ILoggingEvent> events = capture(() -> {
                for (int i = 0; i < 5; i++) {
                    Curl.Result r = Curl.run(List.of("--http1.1", "--cacert", gw.caFile().toString(),
                            "--cert", cert.toString(), "--key", key.toString(), gw.uri("/ciscoise/mdminfo").toString()));
                    assertNotEquals(200, r.status(), "the self-signed certificate was accepted");
                }
            }, logged -> gw.server.guardStats().peerErrors().get("tls_handshake") >= before + 5
                    && !peerWarnings(logged, "tls_handshake").isEmpty(),
                    "5 tls_handshake peer errors and a WARN line");
            assertEquals(before + 5, gw.server.guardStats().peerErrors().get("tls_handshake"));
            List<String> lines = peerWarnings(events, "tls_handshake");
            assertEquals(1, lines.size(), "expected one line: " + lines);
            assertTrue(lines.get(0).contains("CN=intruder") || lines.get(0).contains("trusted"), lines.get(0));
            assertNoStackTrace(events);
        }
    }

    @Test
    void http2ContentLengthMismatch_isOneLine_withoutStackTrace() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            long before = gw.server.guardStats().peerErrors().get("http2_protocol");
            List<ILoggingEvent> events = capture(() -> {
                for (int i = 0; i < 5; i++) {
                    Curl.Result r = Curl.run(List.of("--http2", "--cacert", gw.caFile().toString(),
                            "--cert", gw.adminCert.chainFile().toString(), "--key", gw.adminCert.keyFile().toString(),
                            "-X", "PUT", "-H", "Content-Type: application/json", "-H", "Content-Length: 500",
                            "--data-binary", "{\"deviceId\":\"x\"}",
                            gw.uri("/api/v1/devices/5b3c1f6e-0000-4000-8000-000000000001").toString()));
                    assertNotEquals(200, r.status());
                    assertNotEquals(201, r.status());
                }
            }, logged -> gw.server.guardStats().peerErrors().get("http2_protocol") >= before + 5
                    && !peerWarnings(logged, "http2_protocol").isEmpty(),
                    "5 http2_protocol peer errors and a WARN line");
            assertTrue(gw.server.guardStats().peerErrors().get("http2_protocol") >= before + 5,
                    gw.server.guardStats().toString());
            assertEquals(1, peerWarnings(events, "http2_protocol").size(), events.toString());
            assertNoStackTrace(events);
        }
    }
}
