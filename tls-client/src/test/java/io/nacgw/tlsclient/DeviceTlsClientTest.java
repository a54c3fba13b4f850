package io.nacgw.tlsclient;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Hashtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeviceTlsClientTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final KeyPair SERVER_KEYS = ec();
    private static final X509Certificate SERVER = selfSigned("CN=server", SERVER_KEYS);
    private static final KeyPair DEVICE_KEYS = ec();
    private static final X509Certificate DEVICE = selfSigned("CN=device", DEVICE_KEYS);
    private static final byte[] TICKET = "a ticket only this test's server issues".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * A bctls server with an ECDSA key that asks for a client certificate and keeps it, answers a SessionTicket
     * extension with a NewSessionTicket of {@link #TICKET}, and remembers what the client offered.
     */
    private static final class Server extends DefaultTlsServer {
        Certificate clientCertificate;
        byte[] offeredTicket;
        ProtocolVersion version;

        Server() {
            super(new BcTlsCrypto(RANDOM));
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[]{CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public CertificateRequest getCertificateRequest() throws IOException {
            var algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
            return TlsUtils.isTLSv13(context)
                    ? new CertificateRequest(TlsUtils.EMPTY_BYTES, algorithms, null, null)
                    : new CertificateRequest(new short[]{ClientCertificateType.ecdsa_sign}, algorithms, null);
        }

        @Override
        public void notifyClientCertificate(Certificate certificate) {
            clientCertificate = certificate;
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            version = context.getServerVersion();
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                    PrivateKeyFactory.createKey(SERVER_KEYS.getPrivate().getEncoded()),
                    chain(getCrypto(), SERVER, TlsUtils.isTLSv13(context)),
                    SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"}) // bctls's signature
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            offeredTicket = TlsUtils.getExtensionData(clientExtensions, ExtensionType.session_ticket);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"}) // bctls's signature
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = super.getServerExtensions();
            if (offeredTicket != null && !TlsUtils.isTLSv13(context)) {
                ext.put(Integer.valueOf(ExtensionType.session_ticket), TlsUtils.EMPTY_BYTES);
            }
            return ext;
        }

        @Override
        public NewSessionTicket getNewSessionTicket() {
            return new NewSessionTicket(3600, TICKET);
        }
    }

    private static Certificate chain(TlsCrypto crypto, X509Certificate cert, boolean tls13) throws IOException {
        try {
            TlsCertificate c = crypto.createCertificate(cert.getEncoded());
            return tls13 ? new Certificate(TlsUtils.EMPTY_BYTES, new CertificateEntry[]{new CertificateEntry(c, null)})
                    : new Certificate(new TlsCertificate[]{c});
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    /** Runs the handshake in memory, each side's output handed to the other until neither has anything to say. */
    private static void handshake(DeviceTlsClient client, Server server) throws IOException {
        TlsClientProtocol c = new TlsClientProtocol();
        TlsServerProtocol s = new TlsServerProtocol();
        s.accept(server);
        c.connect(client);
        for (int round = 0; round < 16 && (c.getAvailableOutputBytes() > 0 || s.getAvailableOutputBytes() > 0); round++) {
            pass(c, s);
            pass(s, c);
        }
    }

    private static void pass(org.bouncycastle.tls.TlsProtocol from, org.bouncycastle.tls.TlsProtocol to) throws IOException {
        int n = from.getAvailableOutputBytes();
        if (n > 0) {
            byte[] b = new byte[n];
            from.readOutput(b, 0, n);
            to.offerInput(b);
        }
    }

    private static void assertPresentsTheDevice(TlsCrypto crypto, boolean tls13) throws Exception {
        DeviceTlsClient client = new DeviceTlsClient(crypto, DEVICE, DEVICE_KEYS.getPrivate(), tls13);
        Server server = new Server();
        handshake(client, server);
        assertTrue(client.done(), "handshake complete");
        assertFalse(client.resumed());
        assertEquals(tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12, server.version, "the one version offered");
        assertEquals(1, server.clientCertificate.getLength());
        assertArrayEquals(DEVICE.getEncoded(), server.clientCertificate.getCertificateAt(0).getEncoded());
        assertNull(server.offeredTicket, "no SessionTicket extension unless asked");
        assertNull(client.ticket());
    }

    @Test
    void handshake_presentsTheDeviceCertificate_inTls12And13_withBcCrypto() throws Exception {
        assertPresentsTheDevice(new BcTlsCrypto(RANDOM), false);
        assertPresentsTheDevice(new BcTlsCrypto(RANDOM), true);
    }

    @Test
    void handshake_presentsTheDeviceCertificate_inTls12And13_withJcaCrypto() throws Exception {
        assertPresentsTheDevice(new JcaTlsCryptoProvider().create(RANDOM), false);
        assertPresentsTheDevice(new JcaTlsCryptoProvider().create(RANDOM), true);
    }

    @Test
    void offeringTicket_sendsTheExtension_emptyOrWithTheTicket_andKeepsTheNewSessionTicket() throws Exception {
        DeviceTlsClient asking = new DeviceTlsClient(new BcTlsCrypto(RANDOM), DEVICE, DEVICE_KEYS.getPrivate(), false)
                .offeringTicket(null);
        Server first = new Server();
        handshake(asking, first);
        assertTrue(asking.done());
        assertArrayEquals(TlsUtils.EMPTY_BYTES, first.offeredTicket, "an empty extension asks for a ticket");
        assertArrayEquals(TICKET, asking.ticket());

        DeviceTlsClient presenting = new DeviceTlsClient(new BcTlsCrypto(RANDOM), DEVICE, DEVICE_KEYS.getPrivate(), false)
                .offeringTicket(asking.ticket());
        Server second = new Server();
        handshake(presenting, second);
        assertArrayEquals(TICKET, second.offeredTicket);
    }

    @Test
    void resuming_isTheSessionBctlsOffers() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        TlsSession session = TlsUtils.importSession(id, null);
        DeviceTlsClient client = new DeviceTlsClient(new BcTlsCrypto(RANDOM), DEVICE, DEVICE_KEYS.getPrivate(), false);
        assertNull(client.getSessionToResume(), "a full handshake unless given one");
        assertEquals(session, client.resuming(session).getSessionToResume());
    }

    @Test
    void constructor_refusesACryptoWithoutASignerForTheDeviceKey() {
        TlsCrypto other = (TlsCrypto) java.lang.reflect.Proxy.newProxyInstance(TlsCrypto.class.getClassLoader(),
                new Class<?>[]{TlsCrypto.class}, (proxy, method, args) -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceTlsClient(other, DEVICE, DEVICE_KEYS.getPrivate(), false));
        assertTrue(e.getMessage().contains("BcTlsCrypto or a JcaTlsCrypto"), e.getMessage());
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate selfSigned(String name, KeyPair keys) {
        try {
            Instant now = Instant.now();
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(name),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), new X500Name(name), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
