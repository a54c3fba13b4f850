package io.nacgw.radius.eap;

import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.TestWorld;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OcspChecker} against an in-process responder built with BouncyCastle, for the answers openssl's responder
 * cannot be made to give: bad signatures, delegated responders, stale or future answers, nonces, oversized bodies;
 * and the cache (by nextUpdate, shared in-flight fetches). The real responder is in {@link OcspInteropTest}.
 */
final class OcspCheckerTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.Issued device;

    private final MutableClock clock = new MutableClock(TestWorld.NOW);
    private HttpServer responder;
    private final AtomicInteger hits = new AtomicInteger();
    /** Builds the answer to a request: (request, now) → DER body. */
    private final AtomicReference<BiFunction<OCSPReq, Instant, byte[]>> answer = new AtomicReference<>();
    private OcspChecker checker;

    @BeforeAll
    static void certificates() {
        pki = new TestPki(dir, TestWorld.NOW, false);
        device = pki.device("dev", "CN=dev", new GeneralName(GeneralName.dNSName, "dev.contoso.test"));
    }

    @BeforeEach
    void start() throws Exception {
        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        responder.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] body;
            try {
                body = answer.get().apply(new OCSPReq(ex.getRequestBody().readAllBytes()), clock.instant());
            } catch (Exception e) {
                body = null;
            }
            if (body == null) {
                ex.sendResponseHeaders(500, -1);
            } else {
                ex.getResponseHeaders().add("Content-Type", "application/ocsp-response");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
            ex.close();
        });
        responder.start();
    }

    @AfterEach
    void stop() {
        responder.stop(0);
        if (checker != null) {
            checker.close();
        }
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + responder.getAddress().getPort() + "/ocsp");
    }

    private OcspChecker checker(boolean nonce) {
        checker = new OcspChecker(new OcspSettings(OcspSettings.Mode.REQUIRE, url(), Duration.ofSeconds(10), nonce, 100),
                clock, () -> List.of(pki.issuing.cert(), pki.root.cert()));
        return checker;
    }

    private OcspChecker.Status status(OcspChecker c, TestPki.Issued cert) throws Exception {
        return c.check(cert.chain().toArray(new X509Certificate[0])).get(30, TimeUnit.SECONDS);
    }

    /** A response for every request in {@code req} with {@code status}, signed by {@code signer} (its chain attached). */
    private static byte[] respond(OCSPReq req, CertificateStatus status, Instant thisUpdate, Instant nextUpdate,
                                  KeyPair signer, X509Certificate signerCert, boolean echoNonce, boolean attach) {
        try {
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(signerCert).getSubject()));
            for (Req r : req.getRequestList()) {
                b.addResponse(r.getCertID(), status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate));
            }
            Extension n = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (echoNonce && n != null) {
                b.setResponseExtensions(new Extensions(n));
            }
            String alg = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509CertificateHolder[] chain = attach ? new X509CertificateHolder[]{new JcaX509CertificateHolder(signerCert)}
                    : null;
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate()), chain, Date.from(thisUpdate)))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void byIssuer(CertificateStatus status, Duration nextUpdateIn) {
        answer.set((req, now) -> respond(req, status, now.minusSeconds(60), nextUpdateIn == null ? null : now.plus(nextUpdateIn),
                pki.issuing.keys(), pki.issuing.cert(), true, false));
    }

    @Test
    void good_isCachedUntilNextUpdate() throws Exception {
        byIssuer(CertificateStatus.GOOD, Duration.ofHours(1));
        OcspChecker c = checker(false);
        assertEquals(OcspChecker.Status.Kind.GOOD, status(c, device).kind());
        assertEquals(OcspChecker.Status.Kind.GOOD, status(c, device).kind());
        assertEquals(1, hits.get(), "the second look is answered from the cache");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(OcspChecker.Status.Kind.GOOD, status(c, device).kind());
        assertEquals(2, hits.get(), "asked again after nextUpdate");
        assertEquals(3, c.good());
        assertEquals(2, c.requests());
    }

    @Test
    void withoutNextUpdate_isCachedFiveMinutes() throws Exception {
        byIssuer(CertificateStatus.GOOD, null);
        OcspChecker c = checker(false);
        status(c, device);
        clock.advance(Duration.ofMinutes(4));
        status(c, device);
        assertEquals(1, hits.get());
        clock.advance(Duration.ofMinutes(2));
        status(c, device);
        assertEquals(2, hits.get());
    }

    @Test
    void revoked_carriesTimeAndReason() throws Exception {
        byIssuer(new RevokedStatus(Date.from(TestWorld.NOW.minusSeconds(3600)), CRLReason.keyCompromise), Duration.ofHours(1));
        OcspChecker.Status s = status(checker(false), device);
        assertEquals(OcspChecker.Status.Kind.REVOKED, s.kind());
        assertTrue(s.detail().contains("keyCompromise") && s.detail().contains("2026-11-23T11:00:00Z"), s.detail());
    }

    @Test
    void unknown_isUnknown() throws Exception {
        byIssuer(new UnknownStatus(), Duration.ofHours(1));
        assertEquals(OcspChecker.Status.Kind.UNKNOWN, status(checker(false), device).kind());
    }

    @Test
    void delegatedResponder_withOcspSigning_isBelieved_withoutIt_isNot() throws Exception {
        TestPki.Issued delegate = pki.leaf("ocsp-signer", "CN=Contoso OCSP", pki.issuing, TestPki.ec(), List.of(),
                KeyPurposeId.id_kp_OCSPSigning, TestWorld.NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now, now.plus(Duration.ofHours(1)),
                delegate.keys(), delegate.cert(), true, true));
        assertEquals(OcspChecker.Status.Kind.GOOD, status(checker(false), device).kind());
        checker.close();

        TestPki.Issued notAuthorised = pki.leaf("client-signer", "CN=Not OCSP", pki.issuing, TestPki.ec(), List.of(),
                KeyPurposeId.id_kp_clientAuth, TestWorld.NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now, now.plus(Duration.ofHours(1)),
                notAuthorised.keys(), notAuthorised.cert(), true, true));
        OcspChecker.Status s = status(checker(false), device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("not signed by the issuer"), s.detail());
    }

    @Test
    void signedByAnotherCa_isNotBelieved() throws Exception {
        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now, now.plus(Duration.ofHours(1)),
                pki.serverCa.keys(), pki.serverCa.cert(), true, true));
        OcspChecker.Status s = status(checker(false), device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("not signed by the issuer"), s.detail());
    }

    @Test
    void staleOrFutureAnswers_areNotBelieved() throws Exception {
        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now.minus(Duration.ofDays(2)),
                now.minus(Duration.ofDays(1)), pki.issuing.keys(), pki.issuing.cert(), true, false));
        assertTrue(status(checker(false), device).detail().contains("stale"));
        checker.close();
        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), pki.issuing.keys(), pki.issuing.cert(), true, false));
        assertTrue(status(checker(false), device).detail().contains("in the future"));
    }

    @Test
    void nonce_mustComeBack() throws Exception {
        byIssuer(CertificateStatus.GOOD, Duration.ofHours(1));
        AtomicReference<byte[]> sent = new AtomicReference<>();
        BiFunction<OCSPReq, Instant, byte[]> echo = answer.get();
        answer.set((req, now) -> {
            Extension n = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            sent.set(n == null ? null : ASN1OctetString.getInstance(n.getParsedValue()).getOctets());
            return echo.apply(req, now);
        });
        assertEquals(OcspChecker.Status.Kind.GOOD, status(checker(true), device).kind());
        assertEquals(16, sent.get().length);
        checker.close();

        answer.set((req, now) -> respond(req, CertificateStatus.GOOD, now, now.plus(Duration.ofHours(1)),
                pki.issuing.keys(), pki.issuing.cert(), false, false));
        OcspChecker.Status s = status(checker(true), device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("nonce"), s.detail());
        checker.close();
        assertEquals(OcspChecker.Status.Kind.GOOD, status(checker(false), device).kind(), "no nonce asked, none needed");
    }

    @Test
    void httpErrors_garbage_oversize_andRefusals_areUnavailable() throws Exception {
        answer.set((req, now) -> null);
        assertTrue(status(checker(false), device).detail().contains("HTTP 500"));
        checker.close();
        answer.set((req, now) -> new byte[]{1, 2, 3});
        assertTrue(status(checker(false), device).detail().contains("cannot be read"));
        checker.close();
        answer.set((req, now) -> new byte[OcspChecker.MAX_RESPONSE_BYTES + 1]);
        assertTrue(status(checker(false), device).detail().contains("more than"));
        checker.close();
        answer.set((req, now) -> {
            try {
                return new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        OcspChecker.Status s = status(checker(false), device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("refused: OCSP status 3"), s.detail());
    }

    @Test
    void responderDown_isUnavailable_andAskedAgainAfterTenSeconds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        checker = new OcspChecker(new OcspSettings(OcspSettings.Mode.PREFER, URI.create("http://127.0.0.1:" + port + "/"),
                Duration.ofSeconds(10), false, 100), clock, () -> List.of(pki.issuing.cert()));
        OcspChecker.Status s = status(checker, device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("did not answer"), s.detail());
        status(checker, device);
        assertEquals(1, checker.requests(), "a failure is remembered for a while");
        clock.advance(Duration.ofSeconds(11));
        status(checker, device);
        assertEquals(2, checker.requests());
    }

    @Test
    void responderUrl_fromAia_orMissing() throws Exception {
        byIssuer(CertificateStatus.GOOD, Duration.ofHours(1));
        TestPki.Issued withAia = pki.deviceWithOcsp("aia", TestWorld.COMPLIANT_ID.canonical(), url().toString());
        checker = new OcspChecker(new OcspSettings(OcspSettings.Mode.REQUIRE, null, Duration.ofSeconds(10), false, 100),
                clock, () -> List.of(pki.issuing.cert()));
        assertEquals(url(), OcspChecker.aiaUrl(withAia.cert()));
        assertEquals(OcspChecker.Status.Kind.GOOD, status(checker, withAia).kind());
        OcspChecker.Status s = status(checker, device);
        assertEquals(OcspChecker.Status.Kind.UNAVAILABLE, s.kind());
        assertTrue(s.detail().contains("names no http OCSP responder"), s.detail());
        assertEquals(1, hits.get());
    }

    @Test
    void issuerNotAtHand_isUnavailable() throws Exception {
        byIssuer(CertificateStatus.GOOD, Duration.ofHours(1));
        checker = new OcspChecker(new OcspSettings(OcspSettings.Mode.REQUIRE, url(), Duration.ofSeconds(10), false, 100),
                clock, List::of);
        OcspChecker.Status s = checker.check(new X509Certificate[]{device.cert()}).get(30, TimeUnit.SECONDS);
        assertTrue(s.detail().contains("issuer"), s.detail());
        assertEquals(0, hits.get());
    }

    @Test
    void settings_areValidated() {
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OcspSettings(OcspSettings.Mode.PREFER, URI.create("https://x/"), Duration.ofSeconds(1), false, 1))
                .getMessage();
        assertTrue(m.startsWith("radius.eap.tls.ocspUrl"), m);
        m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OcspSettings(OcspSettings.Mode.PREFER, null, Duration.ofMinutes(1), false, 1)).getMessage();
        assertTrue(m.startsWith("radius.eap.tls.ocspTimeout"), m);
        m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OcspSettings(OcspSettings.Mode.PREFER, null, Duration.ofSeconds(1), false, 0)).getMessage();
        assertTrue(m.startsWith("radius.eap.tls.ocspCacheSize"), m);
        m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OcspSettings.Mode.fromName("sometimes")).getMessage();
        assertTrue(m.contains("radius.eap.tls.ocsp must be off, prefer or require"), m);
        assertEquals(OcspSettings.Mode.OFF, OcspSettings.Mode.fromName("false"), "YAML 1.1's reading of an unquoted off");
    }
}
