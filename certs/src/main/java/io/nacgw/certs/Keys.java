package io.nacgw.certs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Key checks shared by the CA and the TLS loaders. */
final class Keys {
    private Keys() {
    }

    /** True when {@code key} is the private half of {@code cert}'s public key (checked by a signature round trip). */
    static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            KeyType type = KeyType.ofAlgorithm(cert.getPublicKey().getAlgorithm());
            if (!type.jcaAlgorithm().equals(key.getAlgorithm())) {
                return false;
            }
            byte[] probe = "nacgw key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(type.signatureAlgorithm());
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException | CertsException e) {
            return false;
        }
    }
}
