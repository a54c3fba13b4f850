package io.nacgw.nacapi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer-triggered failures: counted fully, logged once per reason and source per interval, never with a stack trace. */
final class PeerErrorsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(PeerErrors.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private long now;

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    private List<ILoggingEvent> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).collect(Collectors.toList());
    }

    private static InetSocketAddress from(String ip) {
        return new InetSocketAddress(ip, 40000);
    }

    @Test
    void flood_fromOneSource_isCountedFully_butLoggedOncePerInterval_withoutAStackTrace() {
        PeerErrors p = new PeerErrors(() -> now);
        SSLHandshakeException bad = new SSLHandshakeException("PKIX path building failed");
        bad.initCause(new java.security.cert.CertificateException("self-signed\ncertificate"));
        for (int i = 0; i < 1000; i++) {
            assertTrue(p.report(from("192.0.2.7"), new io.netty.handler.codec.DecoderException(bad)));
        }
        assertEquals(1000, p.count(PeerErrors.Reason.TLS_HANDSHAKE));
        assertEquals(1, warnings().size());
        ILoggingEvent line = warnings().get(0);
        assertNull(line.getThrowableProxy(), "no stack trace");
        assertTrue(line.getFormattedMessage().startsWith("peer error tls_handshake from /192.0.2.7:40000: "
                + "certificate_invalid: CertificateException: self-signed certificate"), line.getFormattedMessage());
        assertEquals(1000L, p.tlsHandshakeFailures().get("certificate_invalid"), "counted by why it failed");
        now += PeerErrors.INTERVAL_NANOS - 1;
        p.report(from("192.0.2.7"), bad);
        assertEquals(1, warnings().size(), "one line per peer per minute");
        now += 1;
        p.report(from("192.0.2.7"), bad);
        assertEquals(2, warnings().size());
        assertFalse(line.getFormattedMessage().contains("\n"));

        p.report(from("192.0.2.8"), bad);
        assertEquals(3, warnings().size(), "another source gets its own line");
        assertEquals(60_000_000_000L, PeerErrors.INTERVAL_NANOS, "a minute");
    }

    @Test
    void rotatingSources_areBoundedPerReason() {
        PeerErrors p = new PeerErrors(() -> now);
        Http2Exception h2 = Http2Exception.streamError(3, Http2Error.PROTOCOL_ERROR, "content-length mismatch");
        for (int i = 0; i < 200; i++) {
            p.report(from("198.51.100." + i), h2);
        }
        assertEquals(200, p.count(PeerErrors.Reason.HTTP2_PROTOCOL));
        assertEquals(PeerErrors.LINES_PER_INTERVAL, warnings().size());
    }

    @Test
    void resets_areCountedButNotWarned_andOurOwnBugsAreNotPeerErrors() {
        PeerErrors p = new PeerErrors(() -> now);
        assertTrue(p.report(from("192.0.2.1"), new IOException("Connection reset by peer")));
        assertEquals(1, p.count(PeerErrors.Reason.CONNECTION_RESET));
        assertEquals(0, warnings().size());
        assertFalse(p.report(from("192.0.2.1"), new NullPointerException("our bug")));
        assertFalse(p.report(from("192.0.2.1"), new io.netty.handler.codec.DecoderException(new IllegalStateException())));
    }
}
