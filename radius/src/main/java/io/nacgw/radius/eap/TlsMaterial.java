package io.nacgw.radius.eap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nacgw.certs.ClientChainVerifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every EAP-TLS conversation shares: the TLS crypto (bctls's JCA layer over a private BouncyCastle provider
 * instance; BouncyCastle is never registered as a JVM-wide provider), the server's key and chain, the client-certificate verifier (swapped when
 * CRLs fetched from URLs change) and the bounded TLS 1.2 session cache for resumption. Thread-safe.
 */
final class TlsMaterial {
    final JcaTlsCrypto crypto;
    final PrivateKey key;
    final boolean ecKey;
    /** The hash of the server's signatures: matched to the EC curve size, SHA-256 for RSA. */
    final short signatureHash;
    final boolean tls13Only;
    private final List<byte[]> chain;
    private final AtomicReference<ClientChainVerifier> verifier;
    private final Vector<X500Name> authorities;
    private final Cache<ByteBuffer, TlsSession> sessions;

    private TlsMaterial(JcaTlsCrypto crypto, PrivateKey key, List<byte[]> chain, ClientChainVerifier verifier,
                        boolean tls13Only, Cache<ByteBuffer, TlsSession> sessions) {
        this.crypto = crypto;
        this.key = key;
        this.chain = List.copyOf(chain);
        this.verifier = new AtomicReference<>(verifier);
        this.tls13Only = tls13Only;
        this.sessions = sessions;
        this.ecKey = key instanceof ECPrivateKey;
        if (!ecKey && !(key instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("radius.eap.tls.serverKey must be an EC or RSA key, got "
                    + key.getAlgorithm());
        }
        int bits = ecKey ? ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() : 0;
        this.signatureHash = bits > 384 ? HashAlgorithm.sha512 : bits > 256 ? HashAlgorithm.sha384 : HashAlgorithm.sha256;
        Vector<X500Name> names = new Vector<>();
        for (X509Certificate ca : verifier.trustedCas()) {
            names.add(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()));
        }
        this.authorities = names;
    }

    /** Loads the server files and trust; throws {@link IllegalArgumentException} naming the key that is wrong. */
    static TlsMaterial load(EapSettings s, Clock clock) {
        ClientChainVerifier v;
        try {
            v = ClientChainVerifier.load(s.trustedCaFiles(), s.crlFiles(), clock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("radius.eap.tls.trustedCaFiles / crlFiles: " + e.getMessage(), e);
        }
        List<byte[]> chain = readChain(s.serverCertificate());
        PrivateKey key = readKey(s.serverKey());
        // a BouncyCastle provider instance for bctls only (never registered): the JDK lacks the names bctls uses
        // for RSA-PSS (TLS 1.3 CertificateVerify from RSA keys)
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider())
                .create(new SecureRandom());
        Cache<ByteBuffer, TlsSession> sessions = s.resumption() ? Caffeine.newBuilder()
                .maximumSize(s.sessionCacheSize())
                .expireAfterWrite(s.sessionLifetime())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build() : null;
        return new TlsMaterial(crypto, key, chain, v, "1.3".equals(s.minVersion()), sessions);
    }

    private static List<byte[]> readChain(Path file) {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> certs =
                    f.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            List<byte[]> out = new ArrayList<>();
            for (java.security.cert.Certificate c : certs) {
                out.add(c.getEncoded());
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("radius.eap.tls.serverCertificate " + file + " holds no certificate");
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("radius.eap.tls.serverCertificate " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair) {
                return conv.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo) {
                return conv.getPrivateKey((PrivateKeyInfo) o);
            }
            throw new IllegalArgumentException("radius.eap.tls.serverKey " + file
                    + " holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("radius.eap.tls.serverKey " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The server's chain as a bctls Certificate message for the negotiated version. */
    Certificate serverCertificate(boolean tls13) throws IOException {
        if (tls13) {
            CertificateEntry[] entries = new CertificateEntry[chain.size()];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = new CertificateEntry(crypto.createCertificate(chain.get(i)), null);
            }
            return new Certificate(TlsUtils.EMPTY_BYTES, entries);
        }
        TlsCertificate[] certs = new TlsCertificate[chain.size()];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = crypto.createCertificate(chain.get(i));
        }
        return new Certificate(certs);
    }

    ClientChainVerifier verifier() {
        return verifier.get();
    }

    /** Replaces the verifier (CRLs fetched from URLs). */
    void verifier(ClientChainVerifier v) {
        verifier.set(v);
    }

    /** Subjects of the trusted CAs, sent in CertificateRequest so the supplicant picks the right certificate. */
    Vector<X500Name> authorities() {
        return new Vector<>(authorities);
    }

    boolean resumption() {
        return sessions != null;
    }

    TlsSession session(byte[] id) {
        return sessions == null || id == null || id.length == 0 ? null : sessions.getIfPresent(ByteBuffer.wrap(id.clone()));
    }

    void remember(TlsSession s) {
        if (sessions != null && s != null && s.isResumable()) {
            sessions.put(ByteBuffer.wrap(s.getSessionID().clone()), s);
        }
    }

    void forget(byte[] id) {
        if (sessions != null && id != null) {
            sessions.invalidate(ByteBuffer.wrap(id.clone()));
        }
    }

    long sessionsCached() {
        if (sessions == null) {
            return 0;
        }
        sessions.cleanUp();
        return sessions.estimatedSize();
    }
}
