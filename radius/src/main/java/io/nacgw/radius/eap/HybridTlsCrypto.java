package io.nacgw.radius.eap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.MACAlgorithm;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsHMAC;
import org.bouncycastle.tls.crypto.TlsHash;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * bctls crypto for EAP-TLS: BouncyCastle's lightweight API for the public-key work (the server's signature with
 * the key parsed once and its base-point table kept, key exchange, the peer's signature), the JDK's providers
 * (SunJCE: AES-NI, GHASH and SHA intrinsics) for the record layer's ciphers where the JDK has them (not
 * ChaCha20-Poly1305 under the name bctls asks for), the handshake hashes and HMACs. X.509 certificates a peer
 * sends again (a device reconnecting) are parsed once: the parsed certificate and its public key, whose EC point
 * keeps the table BouncyCastle precomputes for the CertificateVerify check, are kept by their DER bytes.
 */
final class HybridTlsCrypto extends BcTlsCrypto {
    /**
     * DER bytes of the parsed certificates kept (about 4,000 device certificates); beyond, the least used are parsed
     * again when they come back. Bounded by bytes, not count: certificates arrive before they are verified, so a
     * peer chooses their size.
     */
    static final long CERTIFICATE_BYTES = 4L << 20;
    /** A certificate larger than this is parsed each time, never kept (device certificates are 1-2 KB). */
    static final int LARGEST_KEPT = 8 * 1024;

    private final JcaTlsCrypto jdk;
    private final Cache<ByteBuffer, TlsCertificate> certificates = Caffeine.newBuilder()
            .maximumWeight(CERTIFICATE_BYTES)
            .<ByteBuffer, TlsCertificate>weigher((der, c) -> der.capacity())
            .executor(Runnable::run)
            .build();

    HybridTlsCrypto(SecureRandom random) {
        super(random);
        this.jdk = new JcaTlsCryptoProvider().create(random);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        if (type != CertificateType.X509 || encoding.length > LARGEST_KEPT) {
            return super.createCertificate(type, encoding);
        }
        ByteBuffer der = ByteBuffer.wrap(encoding.clone());
        TlsCertificate c = certificates.getIfPresent(der);
        if (c == null) {
            c = new ParsedCertificate(this, der.array()); // throws for bytes that are no certificate: not kept
            certificates.put(der, c);
        }
        return c;
    }

    /** Certificates parsed and kept now (tests). */
    long certificatesKept() {
        certificates.cleanUp();
        return certificates.estimatedSize();
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

    /**
     * A certificate whose public key is decoded once: bctls asks for it at every signature check, and a new key
     * object would drop the point's precomputed table. Immutable once the key is set (a benign race sets it twice).
     */
    static final class ParsedCertificate extends BcTlsCertificate {
        private volatile AsymmetricKeyParameter publicKey;

        ParsedCertificate(BcTlsCrypto crypto, byte[] encoding) throws IOException {
            super(crypto, encoding);
        }

        @Override
        protected AsymmetricKeyParameter getPublicKey() throws IOException {
            AsymmetricKeyParameter k = publicKey;
            if (k == null) {
                k = super.getPublicKey();
                publicKey = k;
            }
            return k;
        }
    }
}
