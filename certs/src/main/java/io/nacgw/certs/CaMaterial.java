package io.nacgw.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** The CA certificate and its private key, loaded for one operation. Never printed: toString hides the key. */
record CaMaterial(X509Certificate certificate, PrivateKey key) {
    CaMaterial {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    KeyType keyType() {
        return KeyType.ofAlgorithm(certificate.getPublicKey().getAlgorithm());
    }

    @Override
    public String toString() {
        return "CaMaterial[" + certificate.getSubjectX500Principal().getName() + ", key=<hidden>]";
    }
}
