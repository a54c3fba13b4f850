package io.nacgw.certs;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * The trusted CAs and their CRLs, loaded once per (re)load: each CRL is verified against the CA that issued it
 * when loaded, so the handshake only looks serials up.
 */
final class TrustMaterial {
    /** A loaded CRL and where it came from (file or URL), for messages. */
    record Crl(X509CRL crl, String source) {
    }

    private final List<X509Certificate> nacgwCas;
    private final List<X509Certificate> allCas;
    private final Set<TrustAnchor> anchors;
    private final Map<X500Principal, List<Crl>> crlsByIssuer;

    private TrustMaterial(List<X509Certificate> nacgwCas, List<X509Certificate> allCas,
            Map<X500Principal, List<Crl>> crlsByIssuer) {
        this.nacgwCas = List.copyOf(nacgwCas);
        this.allCas = List.copyOf(allCas);
        Set<TrustAnchor> a = new LinkedHashSet<>();
        for (X509Certificate c : allCas) {
            a.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(a);
        this.crlsByIssuer = Map.copyOf(crlsByIssuer);
    }

    static TrustMaterial load(ServerTlsConfig config) {
        List<X509Certificate> nacgw = Pem.readCertificates(config.nacgwCa(), "trusted CA file");
        List<X509Certificate> all = new ArrayList<>(nacgw);
        for (Path p : config.extraTrustedCas()) {
            for (X509Certificate c : Pem.readCertificates(p, "trusted CA file")) {
                if (!all.contains(c)) {
                    all.add(c);
                }
            }
        }
        List<Crl> crls = new ArrayList<>();
        for (Path p : config.crls()) {
            crls.add(new Crl(Pem.readCrl(p, "CRL file"), p.toString()));
        }
        return of(nacgw, all, crls);
    }

    /**
     * Trust in {@code all} CAs (of which {@code nacgw} may grant roles) with {@code crls}, each of which must be
     * signed by one of them.
     */
    static TrustMaterial of(List<X509Certificate> nacgw, List<X509Certificate> all, List<Crl> crls) {
        for (X509Certificate c : all) {
            if (c.getBasicConstraints() < 0) {
                throw new CertsException("trusted CA file entry '" + c.getSubjectX500Principal().getName()
                        + "' is not a CA certificate (no basicConstraints CA:true)");
            }
        }
        Map<X500Principal, List<Crl>> byIssuer = new HashMap<>();
        for (Crl crl : crls) {
            X509Certificate issuer = verifiedIssuer(crl.crl(), all);
            if (issuer == null) {
                throw new CertsException("CRL " + crl.source() + " (issuer '"
                        + crl.crl().getIssuerX500Principal().getName() + "') is not signed by any trusted CA");
            }
            byIssuer.computeIfAbsent(issuer.getSubjectX500Principal(), k -> new ArrayList<>()).add(crl);
        }
        return new TrustMaterial(nacgw, all, byIssuer);
    }

    private static X509Certificate verifiedIssuer(X509CRL crl, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return ca;
                } catch (GeneralSecurityException e) {
                    // another CA with the same name may have signed it; keep looking
                }
            }
        }
        return null;
    }

    Set<TrustAnchor> anchors() {
        return anchors;
    }

    List<X509Certificate> allCas() {
        return allCas;
    }

    boolean isNacgwCa(X509Certificate ca) {
        return nacgwCas.contains(ca);
    }

    boolean isAnchor(X509Certificate c) {
        return allCas.contains(c);
    }

    boolean knowsIssuer(X500Principal issuer) {
        for (X509Certificate c : allCas) {
            if (c.getSubjectX500Principal().equals(issuer)) {
                return true;
            }
        }
        return false;
    }

    List<Crl> crlsOf(X500Principal issuer) {
        return crlsByIssuer.getOrDefault(issuer, List.of());
    }

    List<Crl> allCrls() {
        List<Crl> out = new ArrayList<>();
        crlsByIssuer.values().forEach(out::addAll);
        return out;
    }
}
