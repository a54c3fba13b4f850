package io.nacgw.radius.eap;

import io.nacgw.certs.PeerCertificateRejectedException;
import io.nacgw.certs.RejectReason;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

/**
 * The bctls server side of one EAP-TLS conversation: TLS 1.2 and 1.3 (or 1.3 only), cipher suites for the
 * server's key type, a CertificateRequest naming the trusted CAs, the client chain verified as it arrives (a
 * refusal keeps its {@link RejectReason} for the audit line and ends the handshake with the matching alert), and
 * TLS 1.2 resumption through the shared session cache (session ids) or by session tickets (RFC 5077: the client
 * offers the SessionTicket extension, a full handshake ends with a NewSessionTicket and no session id, so the
 * gateway keeps nothing; a ticket presented with the client's session id resumes, one that does not open is a
 * full handshake). Either way a resumed session's client chain is verified again. Runs only on the TLS worker pool.
 */
final class EapTlsPeer extends DefaultTlsServer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Integer EXT_SESSION_TICKET = ExtensionType.session_ticket;
    private static final int[] TLS13 = {
        CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    };
    private static final int[] ECDSA = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };
    private static final int[] RSA = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    };

    private final TlsMaterial material;
    private RejectReason rejection;
    private String rejectionDetail;
    private X509Certificate[] clientChain;
    private boolean complete;
    private byte[] keyMaterial;
    /** The client offered the SessionTicket extension (empty, or with a ticket). */
    private boolean ticketOffered;
    /** The state of the ticket the client presented, when it opened. */
    private SessionTickets.State presented;
    /** The session made from {@link #presented}, handed to bctls to resume. */
    private TlsSession ticketSession;
    /** This full handshake answers the SessionTicket extension and ends with a NewSessionTicket. */
    private boolean issueTicket;

    EapTlsPeer(TlsMaterial material) {
        super(material.crypto);
        this.material = material;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return material.tls13Only ? ProtocolVersion.TLSv13.only() : ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        int[] legacy = material.ecKey ? ECDSA : RSA;
        int[] all = new int[TLS13.length + legacy.length];
        System.arraycopy(TLS13, 0, all, 0, TLS13.length);
        System.arraycopy(legacy, 0, all, TLS13.length, legacy.length);
        return TlsUtils.getSupportedCipherSuites(getCrypto(), all);
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        Vector<?> sigAlgs = material.signatureAlgorithms(context);
        if (TlsUtils.isTLSv13(context)) {
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, sigAlgs, null, material.authorities());
        }
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, sigAlgs, material.authorities());
    }

    @Override
    public void notifyClientCertificate(Certificate certificate) throws IOException {
        if (certificate == null || certificate.isEmpty()) {
            rejection = RejectReason.NO_CERTIFICATE;
            rejectionDetail = "the peer sent no certificate";
            throw new TlsFatalAlert(TlsUtils.isTLSv13(context) ? AlertDescription.certificate_required
                    : AlertDescription.handshake_failure);
        }
        try {
            clientChain = material.verifier().verify(encoded(certificate));
        } catch (PeerCertificateRejectedException e) {
            rejection = e.reason();
            rejectionDetail = e.getMessage();
            throw new TlsFatalAlert(alertFor(e.reason()));
        } catch (CertificateException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    /** The DER certificates of a Certificate message, leaf first (none for null). */
    private static List<byte[]> encoded(Certificate certificate) throws IOException {
        int n = certificate == null ? 0 : certificate.getLength();
        List<byte[]> der = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            der.add(certificate.getCertificateAt(i).getEncoded());
        }
        return der;
    }

    private static short alertFor(RejectReason r) {
        switch (r) {
            case EXPIRED:
            case NOT_YET_VALID:
                return AlertDescription.certificate_expired;
            case REVOKED:
                return AlertDescription.certificate_revoked;
            case UNKNOWN_CA:
            case UNTRUSTED_PATH:
                return AlertDescription.unknown_ca;
            case WRONG_KEY_USAGE:
                return AlertDescription.unsupported_certificate;
            default:
                return AlertDescription.bad_certificate;
        }
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        SecurityParameters sp = context.getSecurityParametersHandshake();
        boolean tls13 = TlsUtils.isTLSv13(sp.getNegotiatedVersion());
        SignatureAndHashAlgorithm alg = chooseSignature(sp.getClientSigAlgs(), tls13);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), material.signerCrypto, material.key,
                material.serverCertificate(tls13), alg);
    }

    /** The first algorithm the client offers that our key can sign with; TLS 1.3 RSA must be PSS. */
    private SignatureAndHashAlgorithm chooseSignature(Vector<?> offered, boolean tls13) throws IOException {
        List<SignatureAndHashAlgorithm> ours = material.ecKey
                ? List.of(SignatureAndHashAlgorithm.getInstance(material.signatureHash, SignatureAlgorithm.ecdsa))
                : tls13 ? List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.rsa_pss_rsae_sha384)
                : List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
                        SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha256, SignatureAlgorithm.rsa),
                        SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha1, SignatureAlgorithm.rsa));
        if (offered == null) {
            return ours.get(ours.size() - 1);
        }
        for (Object o : offered) {
            if (ours.contains(o)) {
                return (SignatureAndHashAlgorithm) o;
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    @Override
    @SuppressWarnings("rawtypes") // bctls's signature
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        SessionTickets tickets = material.tickets();
        byte[] ticket = tickets == null || negotiatingTls13() ? null
                : TlsUtils.getExtensionData(clientExtensions, EXT_SESSION_TICKET);
        if (ticket == null) {
            return; // TLS 1.3 has no such tickets (resumption there is by PSK, which bctls cannot do)
        }
        ticketOffered = true;
        if (ticket.length > 0) {
            presented = tickets.open(ticket).state();
        }
    }

    @Override
    public TlsSession getSessionToResume(byte[] sessionID) {
        if (presented != null && sessionID != null && sessionID.length > 0 && !negotiatingTls13()) {
            // RFC 5077 §3.4: the server accepting a ticket echoes the client's session id
            ticketSession = TlsUtils.importSession(sessionID, parameters(presented));
            presented.wipe();
            return ticketSession;
        }
        return material.session(sessionID);
    }

    /** bctls's view of a ticket's session: version, suite, EMS, master secret, the client chain, ETM if it was on. */
    private SessionParameters parameters(SessionTickets.State t) {
        try {
            TlsCertificate[] chain = new TlsCertificate[t.peerChain().size()];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = getCrypto().createCertificate(t.peerChain().get(i));
            }
            Hashtable<Integer, byte[]> serverExtensions = new Hashtable<>();
            if (t.encryptThenMac()) {
                TlsExtensionsUtils.addEncryptThenMACExtension(serverExtensions);
            }
            return new SessionParameters.Builder()
                    .setNegotiatedVersion(ProtocolVersion.get(t.version() >>> 8, t.version() & 0xFF))
                    .setCipherSuite(t.cipherSuite())
                    .setExtendedMasterSecret(t.extendedMasterSecret())
                    .setMasterSecret(getCrypto().createSecret(t.masterSecret()))
                    .setPeerCertificate(new Certificate(chain))
                    .setServerExtensions(serverExtensions)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("a session ticket that opened does not make a session", e);
        }
    }

    @Override
    public byte[] getNewSessionID() {
        if (!material.resumption()) {
            return null;
        }
        if (ticketOffered && !negotiatingTls13()) {
            issueTicket = true;
            return null; // RFC 5077 §3.4: the ticket is the session, the gateway keeps none
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return id;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // bctls's signature
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        if (issueTicket) {
            ext = TlsExtensionsUtils.ensureExtensionsInitialised(ext);
            ext.put(EXT_SESSION_TICKET, TlsUtils.EMPTY_BYTES); // empty: a NewSessionTicket will follow
        }
        return ext;
    }

    /** The version chosen for this handshake is TLS 1.3 (set before any extension or session callback). */
    private boolean negotiatingTls13() {
        return TlsUtils.isTLSv13(context.getSecurityParametersHandshake().getNegotiatedVersion());
    }

    /**
     * The ticket of this full handshake's session (sent before the server's Finished). Empty when the state would
     * not fit (RFC 5077 §3.3: the client then has no ticket).
     */
    @Override
    public NewSessionTicket getNewSessionTicket() throws IOException {
        SessionTickets tickets = material.tickets();
        SecurityParameters sp = context.getSecurityParametersHandshake();
        byte[] master = getCrypto().adoptSecret(sp.getMasterSecret()).extract();
        try {
            ProtocolVersion v = sp.getNegotiatedVersion();
            byte[] ticket = tickets.seal((v.getMajorVersion() << 8) | v.getMinorVersion(), sp.getCipherSuite(),
                    sp.isExtendedMasterSecret(), sp.isEncryptThenMAC(), master, encoded(sp.getPeerCertificate()));
            return new NewSessionTicket(tickets.lifetimeSeconds(), ticket == null ? TlsUtils.EMPTY_BYTES : ticket);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        complete = true;
        keyMaterial = deriveKeyMaterial(); // bctls wipes the secrets once this callback returns
        SecurityParameters sp = context.getSecurityParametersConnection();
        if (sp.isResumedSession()) {
            // the chain was verified when the session was made; check it again (revoked or expired since?)
            try {
                clientChain = material.verifier().verify(encoded(sp.getPeerCertificate()));
            } catch (PeerCertificateRejectedException e) {
                rejection = e.reason();
                rejectionDetail = e.getMessage();
                material.forget(sp.getSessionID());
            } catch (CertificateException e) {
                material.forget(sp.getSessionID());
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        } else if (!TlsUtils.isTLSv13(sp.getNegotiatedVersion())) {
            material.remember(context.getSession());
        }
    }

    /** Why the client's certificate was refused, or null. */
    RejectReason rejection() {
        return rejection;
    }

    /** The refusal in words (subject, serial, what failed), or null. */
    String rejectionDetail() {
        return rejectionDetail;
    }

    /** The verified client chain (leaf first), or null. */
    X509Certificate[] clientChain() {
        return clientChain;
    }

    boolean complete() {
        return complete;
    }

    boolean resumed() {
        return complete && context.getSecurityParametersConnection().isResumedSession();
    }

    /** Resumed from a session ticket (not from the session cache). */
    boolean resumedByTicket() {
        return resumed() && ticketSession != null;
    }

    boolean tls13() {
        return TlsUtils.isTLSv13(context);
    }

    String version() {
        ProtocolVersion v = context.getServerVersion();
        return v == null ? "none" : v.getName();
    }

    /**
     * The MSK and EMSK (128 bytes): TLS 1.2 PRF(master secret, "client EAP encryption", client.random ||
     * server.random) per RFC 5216 §2.3; TLS 1.3 TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", 0x0D, 128) per
     * RFC 9190 §2.3.
     */
    byte[] keyMaterial() {
        return keyMaterial.clone();
    }

    /** Overwrites the derived keys (the conversation ended). */
    void wipe() {
        if (keyMaterial != null) {
            java.util.Arrays.fill(keyMaterial, (byte) 0);
        }
    }

    private byte[] deriveKeyMaterial() {
        SecurityParameters sp = context.getSecurityParametersConnection();
        if (TlsUtils.isTLSv13(sp.getNegotiatedVersion())) {
            return context.exportKeyingMaterial("EXPORTER_EAP_TLS_Key_Material", new byte[]{EapPacket.TLS}, 128);
        }
        byte[] seed = new byte[64];
        System.arraycopy(sp.getClientRandom(), 0, seed, 0, 32);
        System.arraycopy(sp.getServerRandom(), 0, seed, 32, 32);
        return TlsUtils.PRF(sp, sp.getMasterSecret(), "client EAP encryption", seed, 128).extract();
    }
}
