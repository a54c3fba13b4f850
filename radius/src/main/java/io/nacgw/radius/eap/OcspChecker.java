package io.nacgw.radius.eap;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Asks OCSP responders (RFC 6960) about EAP-TLS client certificates, off the request path: the status of a leaf
 * certificate is fetched asynchronously over HTTP POST, at most {@link #MAX_FETCHES} at once and within
 * {@code radius.eap.tls.ocspTimeout}, and cached until the answer's nextUpdate (5 minutes when it has none, a day at
 * most; an unanswered request for 10 seconds) in a cache bounded by {@code ocspCacheSize}. Concurrent handshakes of
 * one certificate share one fetch. An answer counts only when signed by the certificate's issuer or by a responder
 * certificate that issuer gave the OCSPSigning usage, when it names the certificate, is current (5 minutes of clock
 * skew allowed) and, with {@code ocspNonce}, echoes the nonce. The futures never fail: every problem is an
 * {@link Status.Kind#UNAVAILABLE} status with its reason.
 */
final class OcspChecker implements AutoCloseable {
    static final int MAX_FETCHES = 32;
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final Duration SKEW = Duration.ofMinutes(5);
    static final Duration WITHOUT_NEXT_UPDATE = Duration.ofMinutes(5);
    static final Duration MAX_CACHED = Duration.ofDays(1);
    static final Duration UNAVAILABLE_CACHED = Duration.ofSeconds(10);
    private static final String[] REASONS = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
        "superseded", "cessationOfOperation", "certificateHold", "7", "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};

    /** What OCSP said about one certificate, and until when that holds. */
    record Status(Kind kind, String detail, Instant until) {
        enum Kind { GOOD, REVOKED, UNKNOWN, UNAVAILABLE }
    }

    private final OcspSettings settings;
    private final Clock clock;
    private final Supplier<List<X509Certificate>> trustedCas;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Semaphore fetches = new Semaphore(MAX_FETCHES);
    private final AsyncCache<String, Status> cache;
    private final SecureRandom random = new SecureRandom();
    private final LongAdder good = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final LongAdder requests = new LongAdder();

    OcspChecker(OcspSettings settings, Clock clock, Supplier<List<X509Certificate>> trustedCas) {
        this.settings = settings;
        this.clock = clock;
        this.trustedCas = trustedCas;
        this.httpThreads = Executors.newFixedThreadPool(2, new DefaultThreadFactory("nacgw-eap-ocsp", true));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // responders are plain HTTP/1 servers
                .connectTimeout(settings.timeout()).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .expireAfter(new Expiry<String, Status>() {
                    @Override
                    public long expireAfterCreate(String key, Status s, long now) {
                        return Math.max(0, Duration.between(clock.instant(), s.until()).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Status s, long now, long current) {
                        return expireAfterCreate(key, s, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Status s, long now, long current) {
                        return current;
                    }
                })
                .buildAsync();
    }

    /** The status of {@code chain[0]} (chain verified, leaf first), from the cache or a fetch; never fails. */
    CompletableFuture<Status> check(X509Certificate[] chain) {
        X509Certificate leaf = chain[0];
        X509Certificate issuer = issuer(leaf, chain);
        if (issuer == null) {
            return done(unavailable("the issuer of the certificate is not at hand"));
        }
        URI url = settings.responder() != null ? settings.responder() : aiaUrl(leaf);
        if (url == null) {
            return done(unavailable("the certificate names no http OCSP responder (AIA) and radius.eap.tls.ocspUrl is unset"));
        }
        String key = HexFormat.of().formatHex(sha256(issuer.getPublicKey().getEncoded())) + ":"
                + leaf.getSerialNumber().toString(16);
        return cache.get(key, (k, executor) -> fetch(leaf, issuer, url)).thenApply(s -> {
            count(s);
            return s;
        });
    }

    private CompletableFuture<Status> done(Status s) {
        count(s);
        return CompletableFuture.completedFuture(s);
    }

    private CompletableFuture<Status> fetch(X509Certificate leaf, X509Certificate issuer, URI url) {
        if (!fetches.tryAcquire()) {
            return CompletableFuture.completedFuture(new Status(Status.Kind.UNAVAILABLE,
                    MAX_FETCHES + " OCSP requests already in flight", clock.instant())); // not cached
        }
        CertificateID id;
        byte[] nonce = null;
        HttpRequest request;
        try {
            id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
            if (settings.nonce()) {
                nonce = new byte[16];
                random.nextBytes(nonce);
                // RFC 8954: the extension's value is the DER of an OCTET STRING holding the nonce
                b.setRequestExtensions(new org.bouncycastle.asn1.x509.Extensions(new Extension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded())));
            }
            OCSPReq req = b.build();
            request = HttpRequest.newBuilder(url).timeout(settings.timeout())
                    .header("Content-Type", "application/ocsp-request")
                    .header("Accept", "application/ocsp-response")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(req.getEncoded())).build();
        } catch (Exception e) {
            fetches.release();
            return CompletableFuture.completedFuture(unavailable("cannot build the OCSP request: " + e.getMessage()));
        }
        requests.increment();
        byte[] sent = nonce;
        CompletableFuture<Status> f;
        try {
            f = http.sendAsync(request, info -> new Bounded(MAX_RESPONSE_BYTES))
                    .handle((resp, err) -> {
                        fetches.release();
                        if (err != null) {
                            Throwable t = err.getCause() != null ? err.getCause() : err;
                            return unavailable("responder " + url + " did not answer: " + describe(t));
                        }
                        if (resp.statusCode() != 200) {
                            return unavailable("responder " + url + " answered HTTP " + resp.statusCode());
                        }
                        if (resp.body() == null) {
                            return unavailable("responder " + url + " sent more than " + MAX_RESPONSE_BYTES + " bytes");
                        }
                        return judge(resp.body(), id, issuer, sent, url);
                    });
        } catch (RuntimeException e) {
            fetches.release();
            f = CompletableFuture.completedFuture(unavailable("cannot ask " + url + ": " + e.getMessage()));
        }
        return f;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    /** Reads and checks one answer. */
    Status judge(byte[] body, CertificateID id, X509Certificate issuer, byte[] nonce, URI url) {
        Instant now = clock.instant();
        try {
            OCSPResp resp = new OCSPResp(body);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                return unavailable("responder " + url + " refused: OCSP status " + resp.getStatus());
            }
            Object o = resp.getResponseObject();
            if (!(o instanceof BasicOCSPResp)) {
                return unavailable("responder " + url + " sent no basic OCSP response");
            }
            BasicOCSPResp basic = (BasicOCSPResp) o;
            if (!signedByIssuerOrDelegate(basic, issuer, now)) {
                return unavailable("the answer of " + url + " is not signed by the issuer or a responder it authorised");
            }
            if (nonce != null) {
                Extension ext = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
                byte[] back = ext == null ? null : nonceOf(ext);
                if (back == null || !MessageDigest.isEqual(nonce, back)) {
                    return unavailable("the answer of " + url + " does not echo the nonce (radius.eap.tls.ocspNonce)");
                }
            }
            for (SingleResp single : basic.getResponses()) {
                if (!single.getCertID().equals(id)) {
                    continue;
                }
                Instant thisUpdate = single.getThisUpdate().toInstant();
                Date next = single.getNextUpdate();
                if (thisUpdate.isAfter(now.plus(SKEW))) {
                    return unavailable("the answer of " + url + " is dated " + thisUpdate + ", in the future");
                }
                if (next != null && next.toInstant().isBefore(now.minus(SKEW))) {
                    return unavailable("the answer of " + url + " is stale (nextUpdate " + next.toInstant() + ")");
                }
                Instant until = next == null ? now.plus(WITHOUT_NEXT_UPDATE)
                        : min(next.toInstant(), now.plus(MAX_CACHED));
                CertificateStatus cs = single.getCertStatus();
                if (cs == CertificateStatus.GOOD) {
                    return new Status(Status.Kind.GOOD, "good", until);
                }
                if (cs instanceof RevokedStatus) {
                    RevokedStatus r = (RevokedStatus) cs;
                    String why = r.hasRevocationReason() ? " (" + reason(r.getRevocationReason()) + ")" : "";
                    return new Status(Status.Kind.REVOKED, "revoked at " + r.getRevocationTime().toInstant() + why
                            + " according to " + url, until);
                }
                if (cs instanceof UnknownStatus) {
                    return new Status(Status.Kind.UNKNOWN, url + " does not know the certificate", until);
                }
            }
            return unavailable("the answer of " + url + " does not name the certificate");
        } catch (Exception e) {
            return unavailable("the answer of " + url + " cannot be read: " + describe(e));
        }
    }

    /** The nonce in an answer: an OCTET STRING (RFC 8954), or the raw value some responders send. */
    private static byte[] nonceOf(Extension ext) {
        byte[] raw = ext.getExtnValue().getOctets();
        try {
            return ASN1OctetString.getInstance(raw).getOctets();
        } catch (RuntimeException e) {
            return raw;
        }
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws Exception {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (valid(basic, verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        ContentVerifierProvider byIssuer = verifiers.build(issuer.getPublicKey());
        X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
        for (X509CertificateHolder responder : basic.getCerts()) {
            if (!responder.getIssuer().equals(issuerHolder.getSubject()) || !responder.isSignatureValid(byIssuer)
                    || !responder.isValidOn(Date.from(now))) {
                continue;
            }
            org.bouncycastle.asn1.x509.ExtendedKeyUsage eku =
                    org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions());
            if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                continue;
            }
            if (valid(basic, verifiers.build(responder))) {
                return true;
            }
        }
        return false;
    }

    private static boolean valid(BasicOCSPResp basic, ContentVerifierProvider key) {
        try {
            return basic.isSignatureValid(key);
        } catch (Exception e) {
            return false; // e.g. an RSA signature checked with an EC key
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String reason(int r) {
        return r >= 0 && r < REASONS.length ? REASONS[r] : Integer.toString(r);
    }

    private Status unavailable(String why) {
        return new Status(Status.Kind.UNAVAILABLE, why, clock.instant().plus(UNAVAILABLE_CACHED));
    }

    private void count(Status s) {
        switch (s.kind()) {
            case GOOD: good.increment(); break;
            case REVOKED: revoked.increment(); break;
            case UNKNOWN: unknown.increment(); break;
            default: unavailable.increment(); break;
        }
    }

    /** The issuer of {@code leaf}: the next certificate of the chain or a trusted CA, by name and signature. */
    private X509Certificate issuer(X509Certificate leaf, X509Certificate[] chain) {
        List<X509Certificate> candidates = new ArrayList<>();
        for (int i = 1; i < chain.length; i++) {
            candidates.add(chain[i]);
        }
        candidates.addAll(trustedCas.get());
        for (X509Certificate c : candidates) {
            if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(c.getPublicKey());
                    return c;
                } catch (Exception e) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }

    /** The first http OCSP URL of the certificate's Authority Information Access, or null. */
    static URI aiaUrl(X509Certificate cert) {
        try {
            byte[] der = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
            if (der == null) {
                return null;
            }
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(der).getOctets());
            for (AccessDescription d : aia.getAccessDescriptions()) {
                GeneralName n = d.getAccessLocation();
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                        && n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI u = URI.create(ASN1IA5String.getInstance(n.getName()).getString());
                    if ("http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) {
                        return u;
                    }
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long good() {
        return good.sum();
    }

    long revoked() {
        return revoked.sum();
    }

    long unknown() {
        return unknown.sum();
    }

    long unavailable() {
        return unavailable.sum();
    }

    /** HTTP requests sent to responders. */
    long requests() {
        return requests.sum();
    }

    @Override
    public void close() {
        httpThreads.shutdownNow();
    }

    /** Collects a body of at most {@code max} bytes; beyond it cancels and yields null. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> parts = new ArrayList<>();
        private Flow.Subscription subscription;
        private int size;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                size += b.remaining();
                parts.add(b);
            }
            if (size > max && !result.isDone()) {
                parts.clear();
                subscription.cancel();
                result.complete(null);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] all = new byte[size];
            int at = 0;
            for (ByteBuffer b : parts) {
                int n = b.remaining();
                b.get(all, at, n);
                at += n;
            }
            result.complete(all);
        }
    }
}
