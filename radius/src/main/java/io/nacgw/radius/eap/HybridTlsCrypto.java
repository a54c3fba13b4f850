package io.nacgw.radius.eap;

import org.bouncycastle.tls.MACAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsHMAC;
import org.bouncycastle.tls.crypto.TlsHash;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * bctls crypto for EAP-TLS: BouncyCastle's lightweight API for the public-key work (the server's signature with
 * the key parsed once and its base-point table kept, key exchange, the peer's signature), the JDK's providers
 * (SunJCE: AES-NI, GHASH and SHA intrinsics) for the record layer's ciphers where the JDK has them (not
 * ChaCha20-Poly1305 under the name bctls asks for), the handshake hashes and HMACs.
 */
final class HybridTlsCrypto extends BcTlsCrypto {
    private final JcaTlsCrypto jdk;

    HybridTlsCrypto(SecureRandom random) {
        super(random);
        this.jdk = new JcaTlsCryptoProvider().create(random);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        // the JDK's ChaCha20-Poly1305 goes by a name bctls's JCA layer does not ask for: BouncyCastle's then
        if (jdk.hasEncryptionAlgorithm(encryptionAlgorithm)
                && (macAlgorithm == MACAlgorithm._null || jdk.hasMacAlgorithm(macAlgorithm))) {
            return jdk.createCipher(params, encryptionAlgorithm, macAlgorithm);
        }
        return super.createCipher(params, encryptionAlgorithm, macAlgorithm);
    }

    @Override
    public TlsHash createHash(int cryptoHashAlgorithm) {
        return jdk.createHash(cryptoHashAlgorithm);
    }

    @Override
    public TlsHMAC createHMAC(int macAlgorithm) {
        return jdk.createHMAC(macAlgorithm);
    }

    @Override
    public TlsHMAC createHMACForHash(int cryptoHashAlgorithm) {
        return jdk.createHMACForHash(cryptoHashAlgorithm);
    }
}
