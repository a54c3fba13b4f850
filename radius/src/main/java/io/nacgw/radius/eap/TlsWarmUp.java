package io.nacgw.radius.eap;

import io.nacgw.certs.ClientChainVerifier;
import io.nacgw.tlsclient.DeviceTlsClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The start-up JIT warm-up of EAP-TLS ({@code radius.eap.tls.warmup}): full handshakes in memory, TLS 1.2 and 1.3 in
 * turn, between the gateway's own server side ({@link TlsConversation} over a copy of its {@link TlsMaterial}: the
 * same server key, chain and crypto classes) and a bctls client presenting device certificates from a CA made for
 * the purpose and forgotten after. A fresh JVM spends several times the warm CPU on its first thousand handshakes
 * (interpreted and C1-compiled elliptic-curve arithmetic); this pays it before the first supplicant does. The copy
 * trusts only the throw-away CA and keeps no sessions, so nothing reaches the real trust, session cache or
 * certificate cache, and no conversation, decision or audit line exists. Runs on its caller's thread (a daemon
 * thread started by {@link EapServer}, never an event loop) until the time is up, it is stopped, or a handshake
 * fails.
 */
final class TlsWarmUp {
    private static final Logger log = LoggerFactory.getLogger(TlsWarmUp.class);
    /** Device certificates the warm-up's client takes in turn (the first of each is checked in full). */
    static final int DEVICES = 16;
    /** A bound on the handshakes whatever the time: well past the point where the JIT has compiled the path. */
    static final int MAX_HANDSHAKES = 20_000;
    /** The EAP-TLS fragment size the warm-up's server uses (the default of radius.eap.tls.fragmentSize). */
    private static final int FRAGMENT = 1000;

    /**
     * What a warm-up did: handshakes completed, the failure that ended it early (null when none), and whether it was
     * stopped (its server closed) before its time or handshakes were up.
     */
    record Result(int handshakes, Duration elapsed, String failure, boolean stopped) {
    }

    private final TlsMaterial material;
    private final X509Certificate ca;
    private final X509Certificate[] devices = new X509Certificate[DEVICES];
    private final PrivateKey[] deviceKeys = new PrivateKey[DEVICES];
    private final BcTlsCrypto clientCrypto = new BcTlsCrypto(new SecureRandom());

    /** A warm-up of {@code real}'s server side, with a new throw-away CA and its device certificates. */
    TlsWarmUp(TlsMaterial real, Clock clock) {
        try {
            KeyPair caKeys = ec();
            Instant now = clock.instant();
            String name = "CN=nacgw EAP-TLS warm-up CA " + UUID.randomUUID();
            this.ca = issue(name, caKeys.getPublic(), name, caKeys, now, null);
            for (int i = 0; i < DEVICES; i++) {
                KeyPair k = ec();
                devices[i] = issue("CN=warm-up device " + i, k.getPublic(), name, caKeys, now,
                        "IntuneDeviceId://" + UUID.randomUUID());
                deviceKeys[i] = k.getPrivate();
            }
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("the EAP-TLS warm-up could not make its throw-away CA", e);
        }
        this.material = real.forWarmUp(ClientChainVerifier.trusting(List.of(ca), clock));
    }

    /** The throw-away CA (tests: the real material must not trust it). */
    X509Certificate ca() {
        return ca;
    }

    /**
     * Runs handshakes until {@code budget} has passed on {@code nanoTime}, {@code stopped} says so, or
     * {@link #MAX_HANDSHAKES}; stops at the first handshake that fails.
     */
    Result run(Duration budget, LongSupplier nanoTime, BooleanSupplier stopped) {
        long start = nanoTime.getAsLong();
        long end = start + budget.toNanos();
        int done = 0;
        String failure = null;
        boolean cut = false;
        while (done < MAX_HANDSHAKES && !(cut = stopped.getAsBoolean()) && nanoTime.getAsLong() - end < 0) {
            boolean tls13 = material.tls13Only || (done & 1) != 0;
            try {
                handshake(done % DEVICES, tls13);
                done++;
            } catch (IOException | MalformedEapException | RuntimeException e) {
                failure = (tls13 ? "TLS 1.3: " : "TLS 1.2: ") + e.getMessage();
                log.warn("EAP-TLS warm-up stopped after {} handshakes: {}", done, failure);
                break;
            }
        }
        return new Result(done, Duration.ofNanos(nanoTime.getAsLong() - start), failure, cut);
    }

    /** One conversation, the client's flights whole, the server's in fragments acknowledged one by one. */
    private void handshake(int device, boolean tls13) throws IOException, MalformedEapException {
        TlsConversation server = new TlsConversation(material);
        DeviceTlsClient client = new DeviceTlsClient(clientCrypto, devices[device], deviceKeys[device], tls13);
        TlsClientProtocol protocol = new TlsClientProtocol();
        try {
            protocol.connect(client);
            TlsConversation.Step step = converse(server, protocol, FRAGMENT);
            if (step.kind() == TlsConversation.Step.Kind.FAILED) {
                throw new IllegalStateException(step.reason() + ": " + step.detail());
            }
            if (!client.done() || server.clientChain() == null) {
                throw new IllegalStateException("the server ended before both sides completed");
            }
        } finally {
            server.close();
            protocol.close();
        }
    }

    /**
     * Runs EAP-TLS between {@code server} and a connected bctls {@code client} in memory (the client's flights whole,
     * the server's in fragments of {@code fragment} bytes acknowledged one by one) until the server is done or
     * failed; returns that last step.
     */
    static TlsConversation.Step converse(TlsConversation server, TlsClientProtocol client, int fragment)
            throws IOException, MalformedEapException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        byte[] response = flight(client);
        for (int round = 0; round < 64; round++) {
            TlsConversation.Step step = server.onResponse(response, fragment);
            if (step.kind() != TlsConversation.Step.Kind.SEND) {
                return step;
            }
            byte[] d = step.typeData();
            int flags = d[0] & 0xFF;
            int off = (flags & TlsConversation.FLAG_LENGTH) != 0 ? 5 : 1;
            in.write(d, off, d.length - off);
            if ((flags & TlsConversation.FLAG_MORE) != 0) {
                response = new byte[]{0}; // ACK
                continue;
            }
            client.offerInput(in.toByteArray());
            in.reset();
            response = flight(client);
        }
        throw new IllegalStateException("no end after 64 rounds");
    }

    /** The client's pending output as one EAP-TLS response (no flags: the whole flight; empty: an ACK). */
    private static byte[] flight(TlsClientProtocol protocol) {
        byte[] f = new byte[1 + protocol.getAvailableOutputBytes()];
        protocol.readOutput(f, 1, f.length - 1);
        return f;
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A CA certificate ({@code uri} null) or a device certificate with clientAuth and the SAN URI; valid a day. */
    private static X509Certificate issue(String subject, java.security.PublicKey key, String issuer, KeyPair issuerKeys,
                                         Instant now, String uri)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key);
        if (uri == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
