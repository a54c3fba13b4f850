package io.nacgw.radius.eap;

import io.nacgw.certs.ClientChainVerifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every EAP-TLS conversation shares: the TLS crypto (bctls over BouncyCastle's lightweight API, no JCA
 * provider; see {@link #load} for why), the server's key and chain, the client-certificate verifier (swapped when
 * CRLs fetched from URLs change), the bounded TLS 1.2 session cache for resumption by session id and the keys of
 * TLS 1.2 session tickets. Thread-safe.
 */
final class TlsMaterial {
    /** The crypto of every handshake step but the server's signature. */
    final TlsCrypto crypto;
    /** The crypto that signs with {@link #key} (BouncyCastle's lightweight EC/RSA signers). */
    final BcTlsCrypto signerCrypto;
    /** The server's private key, parsed once: its EC domain keeps the fixed-point tables of its base point. */
    final AsymmetricKeyParameter key;
    final boolean ecKey;
    /** The hash of the server's signatures: matched to the EC curve size, SHA-256 for RSA. */
    final short signatureHash;
    final boolean tls13Only;
    private final List<byte[]> chain;
    private final Certificate chain12;
    private final Certificate chain13;
    private final AtomicReference<ClientChainVerifier> verifier;
    private final Vector<X500Name> authorities;
    private final SessionCache sessions;
    private final SessionTickets tickets;
    /** The signature algorithms of every CertificateRequest: they depend on {@link #crypto} alone. */
    private volatile Vector<?> signatureAlgorithms;

    private TlsMaterial(TlsCrypto crypto, BcTlsCrypto signerCrypto, AsymmetricKeyParameter key, List<byte[]> chain,
                        ClientChainVerifier verifier, boolean tls13Only, SessionCache sessions,
                        SessionTickets tickets) {
        this.crypto = crypto;
        this.signerCrypto = signerCrypto;
        this.key = key;
        this.chain = List.copyOf(chain);
        // parsed once: the chain is the same in every handshake
        TlsCertificate[] certs = new TlsCertificate[chain.size()];
        CertificateEntry[] entries = new CertificateEntry[chain.size()];
        for (int i = 0; i < certs.length; i++) {
            try {
                certs[i] = crypto.createCertificate(chain.get(i));
            } catch (IOException e) {
                throw new IllegalArgumentException("radius.eap.tls.serverCertificate cannot be parsed: " + e.getMessage(), e);
            }
            entries[i] = new CertificateEntry(certs[i], null);
        }
        this.chain12 = new Certificate(certs);
        this.chain13 = new Certificate(TlsUtils.EMPTY_BYTES, entries);
        this.verifier = new AtomicReference<>(verifier);
        this.tls13Only = tls13Only;
        this.sessions = sessions;
        this.tickets = tickets;
        this.ecKey = key instanceof ECPrivateKeyParameters;
        if (!ecKey && !(key instanceof RSAKeyParameters)) {
            throw new IllegalArgumentException("radius.eap.tls.serverKey must be an EC or RSA key, got "
                    + key.getClass().getSimpleName());
        }
        int bits = ecKey ? ((ECPrivateKeyParameters) key).getParameters().getCurve().getFieldSize() : 0;
        this.signatureHash = bits > 384 ? HashAlgorithm.sha512 : bits > 256 ? HashAlgorithm.sha384 : HashAlgorithm.sha256;
        Vector<X500Name> names = new Vector<>();
        for (X509Certificate ca : verifier.trustedCas()) {
            names.add(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()));
        }
        this.authorities = names;
    }

    /** Loads the server files and trust; throws {@link IllegalArgumentException} naming the key that is wrong. */
    static TlsMaterial load(EapSettings s, Clock clock) {
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        return load(s, clock, crypto, crypto);
    }

    /** {@link #load} with other crypto (EapTlsHandshakeBenchmark compares the shapes). */
    static TlsMaterial load(EapSettings s, Clock clock, TlsCrypto crypto, BcTlsCrypto signerCrypto) {
        ClientChainVerifier v;
        try {
            v = ClientChainVerifier.load(s.trustedCaFiles(), s.crlFiles(), clock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("radius.eap.tls.trustedCaFiles / crlFiles: " + e.getMessage(), e);
        }
        List<byte[]> chain = readChain(s.serverCertificate());
        AsymmetricKeyParameter key = readKey(s.serverKey());
        SessionCache sessions = s.resumption() ? new SessionCache(s.sessionCacheSize(), s.sessionLifetime(), clock) : null;
        SessionTickets tickets = null;
        if (s.resumption() && s.sessionTickets()) {
            long lifetime = s.sessionLifetime().toMillis();
            SecureRandom random = new SecureRandom();
            TicketKeys keys = s.ticketKeyFile() != null ? TicketKeys.load(s.ticketKeyFile(), lifetime)
                    : TicketKeys.random(lifetime, random);
            tickets = new SessionTickets(keys, lifetime, clock, random);
        }
        return new TlsMaterial(crypto, signerCrypto, key, chain, v, "1.3".equals(s.minVersion()), sessions, tickets);
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

    private static AsymmetricKeyParameter readKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (o instanceof PEMKeyPair) {
                return PrivateKeyFactory.createKey(((PEMKeyPair) o).getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo) {
                return PrivateKeyFactory.createKey((PrivateKeyInfo) o);
            }
            throw new IllegalArgumentException("radius.eap.tls.serverKey " + file
                    + " holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("radius.eap.tls.serverKey " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A copy for the start-up warm-up ({@link TlsWarmUp}): the same server key (its precomputed tables are what the
     * real handshakes use) and chain, its own crypto (so its certificate cache stays apart), {@code verifier} as the
     * only trust, and no session cache or tickets.
     */
    TlsMaterial forWarmUp(ClientChainVerifier verifier) {
        HybridTlsCrypto own = new HybridTlsCrypto(new SecureRandom());
        return new TlsMaterial(own, own, key, chain, verifier, tls13Only, null, null);
    }

    /** The server's chain as a bctls Certificate message for the negotiated version. */
    Certificate serverCertificate(boolean tls13) {
        return tls13 ? chain13 : chain12;
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

    /**
     * The signature algorithms a CertificateRequest offers, computed at the first handshake and shared (bctls only
     * reads them): bctls would build the same list anew for every handshake.
     */
    Vector<?> signatureAlgorithms(TlsContext context) {
        Vector<?> v = signatureAlgorithms;
        if (v == null) {
            v = TlsUtils.getDefaultSupportedSignatureAlgorithms(context); // the same for every context of crypto
            signatureAlgorithms = v;
        }
        return v;
    }

    boolean resumption() {
        return sessions != null;
    }

    TlsSession session(byte[] id) {
        return sessions == null || id == null || id.length == 0 ? null : sessions.get(id);
    }

    void remember(TlsSession s) {
        if (sessions != null && s != null && s.isResumable()) {
            sessions.put(s.getSessionID(), s);
        }
    }

    void forget(byte[] id) {
        if (sessions != null && id != null) {
            sessions.remove(id);
        }
    }

    /** The session tickets, or null when they are off ({@code radius.eap.tls.sessionTickets} or resumption). */
    SessionTickets tickets() {
        return tickets;
    }

    long sessionsCached() {
        if (sessions == null) {
            return 0;
        }
        return sessions.size();
    }
}
