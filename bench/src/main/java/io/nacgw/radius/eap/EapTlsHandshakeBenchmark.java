package io.nacgw.radius.eap;

import io.nacgw.tlsclient.DeviceTlsClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One EAP-TLS handshake, full or resumed, driven in memory: nacgw's server side ({@link TlsConversation} over
 * the {@link TlsMaterial} the gateway loads, including the client-chain verification) against a bctls client with
 * an ECDSA P-256 device certificate, as {@code bench/eap-tls.sh} sets up, in one thread. The client's own work is
 * inside the figure; {@link #main} measures the CPU time of each side instead. {@code tls} picks the version,
 * {@code serverKey} the server certificate's key type (the device CA and devices are ECDSA P-256).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
public class EapTlsHandshakeBenchmark {
    @Param({"1.2", "1.3"})
    String tls;

    @Param({"ec", "rsa"})
    String serverKey;

    /**
     * {@code full}: a new session every time; {@code resumed}: the client resumes one TLS 1.2 session by its session
     * id (the gateway's session cache); {@code ticket}: by the TLS 1.2 session ticket the first handshake gave it.
     */
    @Param({"full", "resumed", "ticket"})
    String handshake;

    /**
     * The server's bctls crypto: {@code hybrid} (what the gateway runs: {@link HybridTlsCrypto}), {@code bc}
     * (BouncyCastle's lightweight API for everything), {@code jca} (bctls's JCA layer over the JDK's providers, the
     * server's signature still by the lightweight signer).
     */
    @Param({"hybrid", "bc", "jca"})
    String crypto;

    private static final com.sun.management.ThreadMXBean CPU =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private TlsMaterial material;
    /** CPU nanoseconds this thread spent in nacgw's server side (only counted by {@link #main}). */
    private long serverCpu;
    /** Bytes this thread allocated in nacgw's server side (only counted by {@link #main}). */
    private long serverAlloc;
    private boolean countCpu;
    private JcaTlsCrypto clientCrypto;
    private KeyPair deviceKeys;
    private X509Certificate device;
    /** The session the client resumes ({@code resumed}), from the first handshake. */
    private TlsSession session;
    /** The ticket and session state the client resumes with ({@code ticket}), from the first handshake. */
    private byte[] ticket;
    private SessionParameters ticketSession;
    private final byte[] ticketSessionId = new byte[32];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("eap-bench");
        KeyPair caKeys = keys("ec");
        X509Certificate ca = issue("CN=Bench Intune Issuing CA - SCEP", caKeys, "CN=Bench Intune Issuing CA - SCEP",
                caKeys, true, null);
        KeyPair serverKeys = keys(serverKey);
        X509Certificate server = issue("CN=radius.bench.test", serverKeys, "CN=Bench Intune Issuing CA - SCEP", caKeys,
                false, KeyPurposeId.id_kp_serverAuth);
        deviceKeys = keys("ec");
        device = issue("CN=device-1", deviceKeys, "CN=Bench Intune Issuing CA - SCEP", caKeys, false,
                KeyPurposeId.id_kp_clientAuth);
        Path caFile = pem(dir.resolve("ca.pem"), ca);
        Path certFile = pem(dir.resolve("server.pem"), server);
        Path keyFile = pem(dir.resolve("server.key"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
        EapSettings s = EapSettings.DISABLED.withEnabled(true).withTls(List.of(caFile), certFile, keyFile);
        material = material(crypto, s);
        if (!"full".equals(handshake) && !"1.2".equals(tls)) {
            throw new IllegalArgumentException("resumed handshakes are TLS 1.2 (nacgw sends no TLS 1.3 tickets)");
        }
        new SecureRandom().nextBytes(ticketSessionId);
        // the JDK's providers lack the RSA-PSS names bctls asks for (an RSA server signs with PSS)
        clientCrypto = new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider())
                .create(new SecureRandom());
        if (!handshake()) {
            throw new IllegalStateException("the in-memory handshake did not complete");
        }
    }

    private static TlsMaterial material(String shape, EapSettings s) {
        SecureRandom random = new SecureRandom();
        switch (shape) {
            case "hybrid":
                return TlsMaterial.load(s, Clock.systemUTC());
            case "bc":
                BcTlsCrypto bc = new BcTlsCrypto(random);
                return TlsMaterial.load(s, Clock.systemUTC(), bc, bc);
            case "jca":
                return TlsMaterial.load(s, Clock.systemUTC(), new JcaTlsCryptoProvider().create(random),
                        new BcTlsCrypto(random));
            default:
                throw new IllegalArgumentException("crypto must be hybrid, bc or jca, got " + shape);
        }
    }

    @Benchmark
    public boolean oneHandshake() throws Exception {
        return handshake();
    }

    /** Runs one conversation to the end; true when both sides completed with the same keys. */
    private boolean handshake() throws IOException, MalformedEapException {
        long t0 = countCpu ? CPU.getCurrentThreadCpuTime() : 0;
        long a0 = countCpu ? CPU.getCurrentThreadAllocatedBytes() : 0;
        TlsConversation server = new TlsConversation(material);
        if (countCpu) {
            serverCpu += CPU.getCurrentThreadCpuTime() - t0;
            serverAlloc += CPU.getCurrentThreadAllocatedBytes() - a0;
        }
        Client client = new Client();
        TlsClientProtocol protocol = new TlsClientProtocol();
        protocol.connect(client);
        try {
            for (int round = 0; round < 16; round++) {
                byte[] flight = new byte[1 + protocol.getAvailableOutputBytes()];
                protocol.readOutput(flight, 1, flight.length - 1);
                long t1 = countCpu ? CPU.getCurrentThreadCpuTime() : 0;
                long a1 = countCpu ? CPU.getCurrentThreadAllocatedBytes() : 0;
                TlsConversation.Step step = server.onResponse(flight, 65_000);
                if (countCpu) {
                    serverCpu += CPU.getCurrentThreadCpuTime() - t1;
                    serverAlloc += CPU.getCurrentThreadAllocatedBytes() - a1;
                }
                if (step.kind() == TlsConversation.Step.Kind.DONE) {
                    return finished(client, server);
                }
                if (step.kind() == TlsConversation.Step.Kind.FAILED) {
                    throw new IllegalStateException(step.reason() + ": " + step.detail());
                }
                byte[] d = step.typeData();
                protocol.offerInput(d, 1, d.length - 1);
                if (client.done() && protocol.getAvailableOutputBytes() == 0) {
                    return finished(client, server);
                }
            }
            throw new IllegalStateException("no end after 16 rounds");
        } finally {
            server.close();
            protocol.close();
        }
    }

    /** True when both sides completed, resumed when asked to; keeps the first session for the resumed runs. */
    private boolean finished(Client client, TlsConversation server) {
        if (session == null && "resumed".equals(handshake)) {
            session = client.session;
        } else if ("resumed".equals(handshake) && !server.peer().resumed()) {
            throw new IllegalStateException("the server did not resume the session");
        } else if (ticketSession == null && "ticket".equals(handshake)) {
            ticket = client.ticket();
            ticketSession = client.parameters;
            if (ticket == null || ticket.length == 0) {
                throw new IllegalStateException("the server issued no session ticket");
            }
        } else if ("ticket".equals(handshake) && !server.peer().resumedByTicket()) {
            throw new IllegalStateException("the server did not resume the ticket's session");
        }
        return client.done() && server.clientChain() != null;
    }

    /**
     * CPU time and allocation per handshake of nacgw's server side (and the client's CPU), which stay meaningful on
     * a busy machine (wall-clock figures do not): {@code java -cp benchmarks.jar
     * io.nacgw.radius.eap.EapTlsHandshakeBenchmark [tls] [ec|rsa] [warm-up handshakes] [measured handshakes]
     * [full|resumed] [crypto[,crypto...]] [start-up warm-up seconds] [rounds to list]}. Several crypto shapes run in
     * one JVM, alternating in rounds of 100 handshakes so that the machine's drift hits them alike; each line gives
     * the median of its rounds. With a start-up warm-up (radius.eap.tls.warmup, {@link TlsWarmUp}) it runs before the
     * benchmark's own warm-up handshakes; the first rounds listed show a fresh JVM's curve (warm-up handshakes 0).
     */
    public static void main(String[] args) throws Exception {
        String[] shapes = (args.length > 5 ? args[5] : "hybrid").split(",");
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
        EapTlsHandshakeBenchmark[] benches = new EapTlsHandshakeBenchmark[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            EapTlsHandshakeBenchmark b = new EapTlsHandshakeBenchmark();
            b.tls = args.length > 0 ? args[0] : "1.2";
            b.serverKey = args.length > 1 ? args[1] : "ec";
            b.handshake = args.length > 4 ? args[4] : "full";
            b.crypto = shapes[i];
            b.setUp();
            benches[i] = b;
        }
        Duration startUp = Duration.ofSeconds(args.length > 6 ? Long.parseLong(args[6]) : 0);
        int listed = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        for (EapTlsHandshakeBenchmark b : benches) {
            if (!startUp.isZero()) {
                long c0 = CPU.getCurrentThreadCpuTime();
                TlsWarmUp.Result r = new TlsWarmUp(b.material, Clock.systemUTC()).run(startUp, System::nanoTime, () -> false);
                System.out.printf("start-up warm-up (%s, crypto %s): %d handshakes, %.1f s of CPU%n", startUp, b.crypto,
                        r.handshakes(), (CPU.getCurrentThreadCpuTime() - c0) / 1e9);
            }
        }
        for (int i = 0; i < warm; i++) {
            for (EapTlsHandshakeBenchmark b : benches) {
                b.handshake();
            }
        }
        int round = 100;
        int rounds = Math.max(1, n / round);
        double[][] server = new double[shapes.length][rounds];
        double[][] client = new double[shapes.length][rounds];
        double[][] alloc = new double[shapes.length][rounds];
        int[] ok = new int[shapes.length];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < shapes.length; i++) {
                EapTlsHandshakeBenchmark b = benches[i];
                b.countCpu = true;
                b.serverCpu = 0;
                b.serverAlloc = 0;
                long all0 = CPU.getCurrentThreadCpuTime();
                for (int k = 0; k < round; k++) {
                    ok[i] += b.handshake() ? 1 : 0;
                }
                long all = CPU.getCurrentThreadCpuTime() - all0;
                server[i][r] = b.serverCpu / 1e3 / round;
                client[i][r] = (all - b.serverCpu) / 1e3 / round;
                alloc[i][r] = b.serverAlloc / 1024.0 / round;
            }
        }
        for (int i = 0; i < shapes.length; i++) {
            EapTlsHandshakeBenchmark b = benches[i];
            for (int r = 0; r < Math.min(listed, rounds); r++) {
                System.out.printf("crypto %s, handshakes %d-%d: server CPU %.0f us%n", b.crypto, r * round + 1,
                        (r + 1) * round, server[i][r]);
            }
            System.out.printf("tls %s, server key %s, %s, crypto %s: %d of %d handshakes complete; per handshake "
                    + "(median of %d rounds): server CPU %.0f us, server allocation %.1f KiB, client CPU %.0f us%n",
                    b.tls, b.serverKey, b.handshake, b.crypto, ok[i], rounds * round, rounds, median(server[i]),
                    median(alloc[i]), median(client[i]));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The supplicant: the device certificate; resumes the first handshake's session or ticket when asked to. */
    private final class Client extends DeviceTlsClient {
        TlsSession session;
        SessionParameters parameters;

        Client() {
            super(clientCrypto, device, deviceKeys.getPrivate(), "1.3".equals(tls));
            if ("ticket".equals(handshake)) {
                // RFC 5077 §3.4: a ticket goes with a session id the client makes up
                resuming(ticketSession == null ? null : TlsUtils.importSession(ticketSessionId, ticketSession));
                offeringTicket(EapTlsHandshakeBenchmark.this.ticket);
            } else {
                resuming(EapTlsHandshakeBenchmark.this.session);
            }
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            session = context.getResumableSession();
            if (ticket() != null) {
                parameters = context.getSession().exportSessionParameters();
            }
        }
    }

    private static KeyPair keys(String type) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("ec".equals(type) ? "EC" : "RSA");
        if ("ec".equals(type)) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private static X509Certificate issue(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                         boolean ca, KeyPurposeId eku) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode() & 0xFFFF)),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static Path pem(Path file, Object o) {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
