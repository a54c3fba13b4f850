package io.nacgw.radius.eap;

import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TlsWarmUpTest {
    private static final Clock CLOCK = Clock.fixed(TestWorld.NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TlsMaterial material(boolean rsaServer, String minVersion) {
        TestPki pki = new TestPki(dir, TestWorld.NOW, rsaServer);
        EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                pki.server.keyFile()).withTlsLimits(minVersion, 1000);
        return TlsMaterial.load(s, CLOCK);
    }

    /** A clock that moves one second at every reading. */
    private static LongSupplier secondPerReading() {
        AtomicLong t = new AtomicLong();
        return () -> t.getAndAdd(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void ecServer_completesTls12And13Handshakes_untilTheTimeIsUp() {
        TlsWarmUp.Result r = new TlsWarmUp(material(false, "1.2"), CLOCK).run(Duration.ofSeconds(5),
                secondPerReading(), () -> false);
        assertNull(r.failure());
        assertFalse(r.stopped());
        assertEquals(4, r.handshakes(), "readings at 1 to 4 s start a handshake, 5 s ends the warm-up");
        assertEquals(Duration.ofSeconds(6), r.elapsed());
    }

    @Test
    void rsaServer_tls13Only_completesItsHandshakes() {
        TlsWarmUp.Result r = new TlsWarmUp(material(true, "1.3"), CLOCK).run(Duration.ofSeconds(3),
                secondPerReading(), () -> false);
        assertNull(r.failure());
        assertEquals(2, r.handshakes());
    }

    @Test
    void stopped_runsNoHandshake() {
        TlsWarmUp.Result r = new TlsWarmUp(material(false, "1.2"), CLOCK).run(Duration.ofSeconds(60),
                secondPerReading(), () -> true);
        assertEquals(0, r.handshakes());
        assertTrue(r.stopped());
        assertNull(r.failure());
    }

    @Test
    void zeroBudget_runsNoHandshake() {
        assertEquals(0, new TlsWarmUp(material(false, "1.2"), CLOCK).run(Duration.ZERO, secondPerReading(),
                () -> false).handshakes());
    }

    @Test
    void realMaterial_keepsItsTrustSessionsAndCertificateCache() {
        TlsMaterial real = material(false, "1.2");
        var verifier = real.verifier();
        List<?> cas = List.copyOf(verifier.trustedCas());
        long kept = ((HybridTlsCrypto) real.crypto).certificatesKept(); // the server's own chain
        TlsWarmUp w = new TlsWarmUp(real, CLOCK);
        assertEquals(4, w.run(Duration.ofSeconds(5), secondPerReading(), () -> false).handshakes());
        assertSame(verifier, real.verifier());
        assertEquals(cas, verifier.trustedCas());
        assertFalse(verifier.trustedCas().contains(w.ca()), "the throw-away CA is never trusted by the gateway");
        assertEquals(0, real.sessionsCached(), "no TLS session of the warm-up can be resumed");
        assertEquals(kept, ((HybridTlsCrypto) real.crypto).certificatesKept(), "its certificates are kept apart");
    }
}
