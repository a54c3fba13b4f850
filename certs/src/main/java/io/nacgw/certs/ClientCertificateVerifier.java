package io.nacgw.certs;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's trust manager for client certificates: validity at the injected clock, key usage, PKIX path to a
 * trusted CA (revocation off in PKIX), then the CRLs checked here, then roles. Doing revocation here rather than
 * in PKIX lets a CA without a CRL (an MDM CA) still be trusted and gives each refusal a specific
 * {@link RejectReason}, logged at WARN.
 */
final class ClientCertificateVerifier extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateVerifier.class);
    private static final String ANY_EKU = "2.5.29.37.0";

    private final TrustMaterial trust;
    private final Set<Role> requiredRoles;
    private final Clock clock;

    ClientCertificateVerifier(TrustMaterial trust, Set<Role> requiredRoles, Clock clock) {
        this.trust = trust;
        this.requiredRoles = requiredRoles;
        this.clock = clock;
    }

    /**
     * Verifies a client chain (leaf first); throws with the reason. Logged at DEBUG only: a peer can send any number
     * of bad certificates, and the server logs the refused handshake once, rate-limited, with this reason.
     */
    void verify(X509Certificate[] chain) throws PeerCertificateRejectedException {
        try {
            check(chain);
        } catch (PeerCertificateRejectedException e) {
            LOG.debug("{}", e.getMessage());
            throw e;
        }
    }

    /** Whether {@code chain} passes now, without logging. */
    boolean accepts(X509Certificate[] chain) {
        try {
            check(chain);
            return true;
        } catch (PeerCertificateRejectedException e) {
            return false;
        }
    }

    /** Verifies a client chain (leaf first) without logging: callers with their own rate-limited log use this. */
    void check(X509Certificate[] chain) throws PeerCertificateRejectedException {
        if (chain == null || chain.length == 0) {
            throw new PeerCertificateRejectedException(RejectReason.NO_CERTIFICATE, null, "no certificate sent");
        }
        X509Certificate leaf = chain[0];
        String who = Texts.printable(leaf.getSubjectX500Principal().getName()) + "' serial '"
                + leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        Instant now = clock.instant();
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new PeerCertificateRejectedException(RejectReason.EXPIRED, who,
                    "expired at " + leaf.getNotAfter().toInstant() + ", now " + now);
        } catch (CertificateNotYetValidException e) {
            throw new PeerCertificateRejectedException(RejectReason.NOT_YET_VALID, who,
                    "valid only from " + leaf.getNotBefore().toInstant() + ", now " + now);
        }
        checkKeyUsage(leaf, who);
        X509Certificate anchor = validatePath(chain, who, now);
        checkRevocation(chain, who);
        boolean fromNacgw = trust.isNacgwCa(anchor);
        if (!fromNacgw && Roles.claimsRole(leaf)) {
            throw new PeerCertificateRejectedException(RejectReason.ROLE_FROM_FOREIGN_CA, who,
                    "claims a nacgw role but was issued under '" + anchor.getSubjectX500Principal().getName()
                            + "', which may not grant roles");
        }
        if (!requiredRoles.isEmpty()) {
            Optional<Role> role = Roles.of(leaf);
            String accepted = requiredRoles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
                    .collect(Collectors.joining(", "));
            if (role.isEmpty()) {
                throw new PeerCertificateRejectedException(RejectReason.WRONG_ROLE, who,
                        "carries no nacgw role (accepted here: " + accepted + ")");
            }
            if (!requiredRoles.contains(role.get())) {
                throw new PeerCertificateRejectedException(RejectReason.WRONG_ROLE, who, "role "
                        + role.get().name().toLowerCase(Locale.ROOT) + " is not accepted here (accepted: " + accepted
                        + ")");
            }
        }
    }

    private static void checkKeyUsage(X509Certificate leaf, String who) throws PeerCertificateRejectedException {
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new PeerCertificateRejectedException(RejectReason.WRONG_KEY_USAGE, who,
                    "unreadable extended key usage");
        }
        if (eku != null && !eku.contains(Roles.CLIENT_AUTH_OID) && !eku.contains(ANY_EKU)) {
            throw new PeerCertificateRejectedException(RejectReason.WRONG_KEY_USAGE, who,
                    "extended key usage " + eku.stream().map(CertificateInfo::ekuName).collect(Collectors.toList())
                            + " does not include clientAuth");
        }
    }

    /** PKIX-validates the chain at {@code now} and returns the trust anchor it ends at. */
    private X509Certificate validatePath(X509Certificate[] chain, String who, Instant now)
            throws PeerCertificateRejectedException {
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        while (path.size() > 1 && trust.isAnchor(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        X509Certificate top = path.get(path.size() - 1);
        if (!trust.knowsIssuer(top.getIssuerX500Principal())) {
            throw new PeerCertificateRejectedException(RejectReason.UNKNOWN_CA, who,
                    "issuer '" + Texts.printable(top.getIssuerX500Principal().getName()) + "' is not a trusted CA");
        }
        try {
            CertPath cp = Pem.x509().generateCertPath(path);
            PKIXParameters params = new PKIXParameters(trust.anchors());
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            PKIXCertPathValidatorResult r =
                    (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(cp, params);
            return r.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                throw new PeerCertificateRejectedException(RejectReason.EXPIRED, who,
                        "a certificate in its chain expired: " + e.getMessage());
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                throw new PeerCertificateRejectedException(RejectReason.NOT_YET_VALID, who,
                        "a certificate in its chain is not valid yet: " + e.getMessage());
            }
            throw new PeerCertificateRejectedException(RejectReason.UNTRUSTED_PATH, who,
                    "chain does not validate to a trusted CA: " + e.getMessage());
        } catch (InvalidAlgorithmParameterException | CertificateException e) {
            throw new PeerCertificateRejectedException(RejectReason.UNTRUSTED_PATH, who,
                    "chain cannot be validated: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PKIX validator", e);
        }
    }

    private void checkRevocation(X509Certificate[] chain, String who)
            throws PeerCertificateRejectedException {
        for (X509Certificate c : chain) {
            if (trust.isAnchor(c)) {
                continue;
            }
            for (TrustMaterial.Crl crl : trust.crlsOf(c.getIssuerX500Principal())) {
                X509CRLEntry entry = crl.crl().getRevokedCertificate(c);
                if (entry != null) {
                    String whose = c == chain[0] ? "" : " (its CA '" + c.getSubjectX500Principal().getName() + "')";
                    throw new PeerCertificateRejectedException(RejectReason.REVOKED, who, "revoked" + whose + " at "
                            + entry.getRevocationDate().toInstant() + " per CRL " + crl.source());
                }
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a nacgw server context does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a nacgw server context does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a nacgw server context does not verify servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.allCas().toArray(new X509Certificate[0]);
    }
}
