package io.nacgw.certs;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads the {@link Role} of a client certificate: extended key usage clientAuth plus exactly one
 * {@code urn:nacgw:role:…} SAN URI. Only meaningful for a peer certificate verified by a {@link TlsContexts}
 * server context, which refuses role-bearing certificates not issued by the nacgw CA.
 */
public final class Roles {
    static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";

    private Roles() {
    }

    /** The role carried by {@code cert}; empty when it has none, several, or lacks EKU clientAuth. */
    public static Optional<Role> of(X509Certificate cert) {
        Optional<Role> declared = declared(cert);
        if (declared.isEmpty() || !hasClientAuth(cert)) {
            return Optional.empty();
        }
        return declared;
    }

    /** The role of the verified peer of a TLS session; empty when the peer sent no certificate. */
    public static Optional<Role> of(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate) {
                return of((X509Certificate) peer[0]);
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The role URI in the SANs regardless of key usage; empty when none or ambiguous. */
    static Optional<Role> declared(X509Certificate cert) {
        Role found = null;
        for (String uri : Sans.uris(Sans.read(cert))) {
            Optional<Role> r = Role.fromUri(uri);
            if (r.isPresent()) {
                if (found != null && found != r.get()) {
                    return Optional.empty();
                }
                found = r.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /** True when any {@code urn:nacgw:role:} URI is present, even an unknown or conflicting one. */
    static boolean claimsRole(X509Certificate cert) {
        for (String uri : Sans.uris(Sans.read(cert))) {
            if (uri != null && uri.regionMatches(true, 0, Role.URI_PREFIX, 0, Role.URI_PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    static boolean hasClientAuth(X509Certificate cert) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku != null && eku.contains(CLIENT_AUTH_OID);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
