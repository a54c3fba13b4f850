package io.nacgw.radius.eap;

import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.TestWorld;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.PreCompInfo;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TlsMaterialTest {
    @TempDir
    Path dir;

    private TlsMaterial load(TestPki pki) {
        EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                pki.server.keyFile());
        return TlsMaterial.load(s, Clock.fixed(TestWorld.NOW, ZoneOffset.UTC));
    }

    @Test
    void serverChain_isParsedOnce_andTheSameForEveryHandshake() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        TlsMaterial m = load(pki);
        assertSame(m.serverCertificate(false), m.serverCertificate(false));
        assertSame(m.serverCertificate(true), m.serverCertificate(true));
        assertEquals(pki.server.chain().size(), m.serverCertificate(false).getLength());
        assertArrayEquals(pki.server.cert().getEncoded(),
                m.serverCertificate(true).getCertificateAt(0).getEncoded());
    }

    @Test
    void ecServerKey_keepsItsBasePointTable_fromOneSignatureToTheNext() {
        TlsMaterial m = load(new TestPki(dir, TestWorld.NOW, false));
        assertTrue(m.ecKey);
        assertEquals(HashAlgorithm.sha256, m.signatureHash);
        ECPrivateKeyParameters key = (ECPrivateKeyParameters) m.key;
        ECPoint g = key.getParameters().getG();
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(key, new SecureRandom()));
        signer.generateSignature(new byte[32]);
        PreCompInfo table = g.getCurve().getPreCompInfo(g, FixedPointUtil.PRECOMP_NAME);
        assertNotNull(table, "the first signature computes the table on the key's own base point");
        signer.init(true, new ParametersWithRandom(m.key, new SecureRandom()));
        signer.generateSignature(new byte[32]);
        assertSame(g, ((ECPrivateKeyParameters) m.key).getParameters().getG());
        assertSame(table, g.getCurve().getPreCompInfo(g, FixedPointUtil.PRECOMP_NAME), "the second signature reuses it");
    }

    @Test
    void gatewayCrypto_hashesWithTheJdk_andSignsWithTheLightweightApi() {
        TlsMaterial m = load(new TestPki(dir, TestWorld.NOW, false));
        assertTrue(m.crypto instanceof HybridTlsCrypto);
        assertSame(m.crypto, m.signerCrypto);
        assertTrue(m.crypto.createHash(CryptoHashAlgorithm.sha256).getClass().getName().contains(".jcajce."),
                "the JDK's SHA-256 (intrinsics)");
        assertTrue(m.crypto.createHMACForHash(CryptoHashAlgorithm.sha256).getClass().getName().contains(".jcajce."));
        assertTrue(m.crypto.hasEncryptionAlgorithm(EncryptionAlgorithm.CHACHA20_POLY1305),
                "BouncyCastle's ChaCha20-Poly1305 where the JDK's is not reachable through bctls");
    }

    @Test
    void rsaServerKey_isLoaded() {
        TlsMaterial m = load(new TestPki(dir, TestWorld.NOW, true));
        assertFalse(m.ecKey);
        assertTrue(m.key instanceof RSAKeyParameters && m.key.isPrivate());
    }

    @Test
    void serverKeyFile_withoutAKey_namesTheKey() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(),
                pki.server.certFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsMaterial.load(s, Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("radius.eap.tls.serverKey"), e.getMessage());
    }

    @Test
    void certificateRequestSignatureAlgorithms_areBuiltOnce_andSharedByEveryHandshake() {
        TlsMaterial m = load(new TestPki(dir, TestWorld.NOW, false));
        java.util.Vector<?> first = m.signatureAlgorithms(context(m));
        assertSame(first, m.signatureAlgorithms(context(m)), "a second handshake gets the same list");
        assertTrue(first.contains(org.bouncycastle.tls.SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa)));
        assertTrue(first.contains(org.bouncycastle.tls.SignatureAndHashAlgorithm.rsa_pss_rsae_sha256));
    }

    @Test
    void sessionCache_holdsAtMostItsSize_forItsLifetime_andNothingWhenResumptionIsOff() {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        MutableClock clock = new MutableClock(TestWorld.NOW);
        TlsMaterial m = TlsMaterial.load(sessionCache(pki, true, 2, Duration.ofMinutes(10)), clock);
        for (int i = 1; i <= 5; i++) {
            m.remember(session(m, i));
        }
        assertEquals(2, m.sessionsCached(), "radius.eap.tls.sessionCacheSize bounds the cache");
        m.remember(session(m, 6));
        assertNotNull(m.session(sessionId(6)), "a session is resumable while its lifetime lasts");
        clock.advance(Duration.ofMinutes(11));
        assertNull(m.session(sessionId(6)), "radius.eap.tls.sessionLifetime ends it");
        assertEquals(0, m.sessionsCached());

        TlsMaterial off = TlsMaterial.load(sessionCache(pki, false, 2, Duration.ofMinutes(10)), clock);
        off.remember(session(off, 1));
        assertFalse(off.resumption());
        assertNull(off.session(sessionId(1)), "radius.eap.tls.resumption: false keeps no session");
        assertEquals(0, off.sessionsCached());
        assertNull(off.tickets(), "radius.eap.tls.resumption: false issues no session ticket either");
        assertNotNull(m.tickets(), "radius.eap.tls.sessionTickets is on by default");
        assertEquals(Duration.ofMinutes(10).toMillis(), m.tickets().keys().periodMillis(),
                "ticket keys rotate every radius.eap.tls.sessionLifetime");
    }

    @Test
    void sessionCache_afterManyMoreSessionsThanItHolds_everyNewSessionIsResumable() {
        // a frequency-admission cache (Caffeine) refused about half of the new sessions once more than its size had
        // passed through: devices then got a full handshake instead of resuming their newest session
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        TlsMaterial m = TlsMaterial.load(sessionCache(pki, true, 100, Duration.ofHours(1)), Clock.systemUTC());
        for (int i = 0; i < 600; i++) {
            m.remember(session(m, i));
        }
        for (int i = 1000; i < 1100; i++) {
            m.remember(session(m, i));
        }
        for (int i = 1000; i < 1100; i++) {
            assertNotNull(m.session(sessionId(i)), "the newest 100 sessions are all held (session " + i + ")");
        }
        assertNull(m.session(sessionId(599)), "the oldest went first");
        assertEquals(100, m.sessionsCached());
    }

    private static EapSettings sessionCache(TestPki pki, boolean resumption, int size, Duration lifetime) {
        EapSettings s = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile());
        return new EapSettings(s.enabled(), s.trustedCaFiles(), s.crlFiles(), s.crlUrls(), s.crlRefresh(),
                s.fragmentSize(), s.minVersion(), s.serverCertificate(), s.serverKey(), resumption, size, lifetime,
                s.sessionTickets(), s.ticketKeyFile(), s.maxConversations(), s.conversationTimeout(), s.tlsThreads(), s.tlsQueue(), s.deviceIdSources(), s.ocsp(),
                s.tlsWarmup());
    }

    private static byte[] sessionId(int n) {
        byte[] id = new byte[32];
        id[30] = (byte) (n >> 8);
        id[31] = (byte) n;
        return id;
    }

    /** A resumable TLS 1.2 session as a finished full handshake leaves it. */
    private static TlsSession session(TlsMaterial m, int n) {
        SessionParameters p = new SessionParameters.Builder()
                .setCipherSuite(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
                .setNegotiatedVersion(ProtocolVersion.TLSv12)
                .setExtendedMasterSecret(true)
                .setMasterSecret(m.crypto.createSecret(new byte[48]))
                .build();
        TlsSession s = TlsUtils.importSession(sessionId(n), p);
        assertTrue(s.isResumable());
        return s;
    }

    /** A handshake's context as far as the signature algorithms need it: the crypto. */
    private static org.bouncycastle.tls.TlsContext context(TlsMaterial m) {
        return (org.bouncycastle.tls.TlsContext) java.lang.reflect.Proxy.newProxyInstance(
                TlsMaterialTest.class.getClassLoader(), new Class<?>[]{org.bouncycastle.tls.TlsContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getCrypto")) {
                        return m.crypto;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
