package io.nacgw.certs;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verifies client certificate chains outside a JDK TLS engine (EAP-TLS in the RADIUS server): validity at the
 * clock, clientAuth extended key usage, a PKIX path to one of the trusted CAs, and the CRLs. Its trust and CRLs
 * are immutable; {@link #withCrls} makes a copy with CRLs fetched later (from URLs). Thread-safe. Never logs: a
 * refusal is thrown as a {@link PeerCertificateRejectedException} whose {@link RejectReason} the caller records.
 *
 * <p>{@link #verify(List)} remembers the chains it accepted (the same bytes are accepted again without parsing
 * or PKIX, about a sixth of a full EAP-TLS handshake's CPU and most of a resumed one's), at most
 * {@value #CACHE_SIZE} chains for {@link #CACHE_TTL} each and only while the clock is inside every certificate's
 * validity. The cache belongs to this instance: new trust anchors or CRLs make a new verifier with an empty one.
 * Refusals are never cached.
 */
public final class ClientChainVerifier {
    /** Accepted chains remembered. */
    static final int CACHE_SIZE = 10_000;
    /** How long an accepted chain is remembered. */
    static final Duration CACHE_TTL = Duration.ofMinutes(10);

    private final List<X509Certificate> cas;
    private final List<TrustMaterial.Crl> fileCrls;
    private final Clock clock;
    private final ClientCertificateVerifier verifier;
    private final AcceptedChains accepted;
    private final LongAdder fullChecks = new LongAdder();

    private ClientChainVerifier(List<X509Certificate> cas, List<TrustMaterial.Crl> fileCrls,
            List<TrustMaterial.Crl> more, Clock clock) {
        this.cas = List.copyOf(cas);
        this.fileCrls = List.copyOf(fileCrls);
        this.clock = clock;
        List<TrustMaterial.Crl> all = new ArrayList<>(fileCrls);
        all.addAll(more);
        this.verifier = new ClientCertificateVerifier(TrustMaterial.of(List.of(), cas, all), Set.of(), clock);
        this.accepted = new AcceptedChains(CACHE_SIZE);
    }

    /**
     * Trusts the CA certificates in {@code caFiles} (PEM bundles) and checks the CRLs in {@code crlFiles} (each
     * signed by one of them); throws {@link CertsException} naming the file that cannot be used.
     */
    public static ClientChainVerifier load(List<Path> caFiles, List<Path> crlFiles, Clock clock) {
        List<X509Certificate> cas = new ArrayList<>();
        for (Path p : caFiles) {
            for (X509Certificate c : Pem.readCertificates(p, "trusted CA file")) {
                if (!cas.contains(c)) {
                    cas.add(c);
                }
            }
        }
        List<TrustMaterial.Crl> crls = new ArrayList<>();
        for (Path p : crlFiles) {
            crls.add(new TrustMaterial.Crl(Pem.readCrl(p, "CRL file"), p.toString()));
        }
        return new ClientChainVerifier(cas, crls, List.of(), clock);
    }

    /** Trusts {@code cas} alone, without CRLs (the EAP-TLS warm-up's throw-away CA). */
    public static ClientChainVerifier trusting(List<X509Certificate> cas, Clock clock) {
        return new ClientChainVerifier(cas, List.of(), List.of(), clock);
    }

    /**
     * A copy that also checks {@code fetched} (source, e.g. a URL → PEM or DER CRL bytes), replacing CRLs fetched
     * earlier; throws {@link CertsException} when one cannot be parsed or no trusted CA signed it.
     */
    public ClientChainVerifier withCrls(Map<String, byte[]> fetched) {
        List<TrustMaterial.Crl> more = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : fetched.entrySet()) {
            try {
                X509CRL crl = (X509CRL) Pem.x509().generateCRL(new ByteArrayInputStream(e.getValue()));
                if (crl == null) {
                    throw new CertsException("CRL " + e.getKey() + " holds no CRL");
                }
                more.add(new TrustMaterial.Crl(crl, e.getKey()));
            } catch (CRLException ex) {
                throw new CertsException("CRL " + e.getKey() + " is not a PEM or DER X.509 CRL: " + ex.getMessage(), ex);
            }
        }
        return new ClientChainVerifier(cas, fileCrls, more, clock);
    }

    /** The trusted CA certificates (for the TLS CertificateRequest's list of acceptable issuers). */
    public List<X509Certificate> trustedCas() {
        return cas;
    }

    /** Verifies {@code chain} (leaf first); throws with the reason when it is refused. Not cached. */
    public void verify(X509Certificate[] chain) throws PeerCertificateRejectedException {
        verifier.check(chain);
    }

    /**
     * Parses and verifies {@code der} (DER certificates, leaf first) and returns the parsed chain; a chain accepted
     * before is answered from the cache (see the class comment). Throws with the reason when it is refused, and
     * {@link CertificateException} when a certificate cannot be parsed.
     */
    public X509Certificate[] verify(List<byte[]> der) throws PeerCertificateRejectedException, CertificateException {
        AcceptedChains.Key key = new AcceptedChains.Key(der);
        Instant now = clock.instant();
        X509Certificate[] hit = accepted.get(key, now);
        if (hit != null) {
            return hit;
        }
        fullChecks.increment();
        X509Certificate[] chain = new X509Certificate[der.size()];
        CertificateFactory f = Pem.x509();
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der.get(i)));
        }
        verifier.check(chain);
        accepted.put(key, chain, now, now.plus(CACHE_TTL));
        return chain.clone();
    }

    /** Accepted chains now in the cache. */
    int cachedChains() {
        return accepted.size();
    }

    /** Chains {@link #verify(List)} parsed and checked in full (not answered from the cache). */
    long fullChecks() {
        return fullChecks.sum();
    }
}
