package io.nacgw.tlsclient;

import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Hashtable;

/**
 * A bctls client presenting one device certificate (its ECDSA P-256 key signs with SHA-256), offering exactly one
 * TLS version, trusting whatever server it meets (the callers judge the server otherwise: by its RADIUS
 * authenticators and MPPE keys, or it is their own in memory). It resumes the session it is given, by session id or,
 * when it offers the SessionTicket extension (RFC 5077, TLS 1.2), by ticket, and keeps the ticket a
 * NewSessionTicket brings. One handshake per instance, as for every bctls peer; a subclass reads more of the finished
 * handshake by overriding {@link #notifyHandshakeComplete()} (calling this one).
 */
public class DeviceTlsClient extends DefaultTlsClient implements TlsAuthentication {
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final X509Certificate device;
    private final PrivateKey key;
    private final boolean tls13;
    private TlsSession resume;
    /** What the SessionTicket extension carries (empty: asks for a ticket); null: no extension. */
    private byte[] presented;
    private byte[] ticket;
    private boolean done;
    private boolean resumed;

    /**
     * @param crypto a {@link BcTlsCrypto} or a {@link JcaTlsCrypto}: the device key signs through the signer of the same
     *               kind
     */
    public DeviceTlsClient(TlsCrypto crypto, X509Certificate device, PrivateKey key, boolean tls13) {
        super(crypto);
        if (!(crypto instanceof BcTlsCrypto) && !(crypto instanceof JcaTlsCrypto)) {
            throw new IllegalArgumentException("a BcTlsCrypto or a JcaTlsCrypto, not " + crypto.getClass().getName());
        }
        this.device = device;
        this.key = key;
        this.tls13 = tls13;
    }

    /** Offers {@code session} for resumption (null: a full handshake). */
    public DeviceTlsClient resuming(TlsSession session) {
        this.resume = session;
        return this;
    }

    /** Sends the SessionTicket extension (RFC 5077) with {@code ticket}, or empty (null) to ask for a ticket. */
    public DeviceTlsClient offeringTicket(byte[] ticket) {
        this.presented = ticket == null ? TlsUtils.EMPTY_BYTES : ticket.clone();
        return this;
    }

    /** True once both sides' Finished messages were verified. */
    public boolean done() {
        return done;
    }

    /** True when the finished handshake resumed a session. */
    public boolean resumed() {
        return resumed;
    }

    /** The ticket of the server's NewSessionTicket; null when it sent none. */
    public byte[] ticket() {
        return ticket;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return tls13 ? ProtocolVersion.TLSv13.only() : ProtocolVersion.TLSv12.only();
    }

    @Override
    public TlsSession getSessionToResume() {
        return resume;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // bctls's signature
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = super.getClientExtensions();
        if (presented != null) {
            ext.put(Integer.valueOf(ExtensionType.session_ticket), presented);
        }
        return ext;
    }

    @Override
    public void notifyNewSessionTicket(NewSessionTicket newSessionTicket) {
        ticket = newSessionTicket.getTicket();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return this;
    }

    @Override
    public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
        // trusted as it comes: see the class comment
    }

    @Override
    public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
        TlsCertificate cert;
        try {
            cert = getCrypto().createCertificate(device.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        Certificate chain = tls13
                ? new Certificate(request.getCertificateRequestContext(), new CertificateEntry[]{new CertificateEntry(cert, null)})
                : new Certificate(new TlsCertificate[]{cert});
        TlsCryptoParameters parameters = new TlsCryptoParameters(context);
        if (getCrypto() instanceof JcaTlsCrypto jca) {
            return new JcaDefaultTlsCredentialedSigner(parameters, jca, key, chain, ECDSA_SHA256);
        }
        return new BcDefaultTlsCredentialedSigner(parameters, (BcTlsCrypto) getCrypto(),
                PrivateKeyFactory.createKey(key.getEncoded()), chain, ECDSA_SHA256);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        done = true;
        resumed = context.getSecurityParametersConnection().isResumedSession();
    }
}
