package io.nacgw.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.Extension;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nacgw's own small CA, kept as files in one directory (the data directory's {@code pki/}, see {@link PkiLayout}).
 * It creates the CA and the server certificate, issues client certificates carrying a {@link Role}, keeps an index
 * of what it issued, and revokes through a CRL. Every mutating operation holds a file lock on the directory, writes
 * each file atomically and returns the files it wrote. Private keys are created owner-only (rw-------).
 */
public final class CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

    /** Validity of a client certificate when the caller gives none. */
    public static final int DEFAULT_CLIENT_DAYS = 365;
    /** Validity of the server certificate. */
    public static final int SERVER_DAYS = 825;
    /** Validity of the CA certificate. */
    public static final int CA_DAYS = 3652;
    /** How long a CRL stays current; every revocation and every {@link #crl()} call writes a fresh one. */
    public static final Duration CRL_VALIDITY = Duration.ofDays(30);
    /** Certificates start this far in the past so a peer whose clock is slightly behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final PkiLayout layout;
    private final Clock clock;

    private CertificateAuthority(PkiLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /** The CA in {@code pkiDir} (which need not exist yet), with the system clock. */
    public static CertificateAuthority open(Path pkiDir) {
        return open(pkiDir, Clock.systemUTC());
    }

    /** The CA in {@code pkiDir}, taking "now" from {@code clock} for validity periods and revocation times. */
    public static CertificateAuthority open(Path pkiDir, Clock clock) {
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(clock, "clock");
        return new CertificateAuthority(new PkiLayout(pkiDir.toAbsolutePath().normalize()), clock);
    }

    public PkiLayout layout() {
        return layout;
    }

    /** True once {@link #init} has written the CA certificate and key. */
    public boolean initialized() {
        return Files.exists(layout.caCertificate()) && Files.exists(layout.caKey());
    }

    /**
     * Creates the CA and a server certificate for {@code names}, a new index and an empty CRL. Refuses when any key
     * or certificate file already exists unless {@code force}; with {@code force} the old index is kept beside the
     * new one as {@code index-<time>.tsv} and every certificate of the old CA stops being trusted (client files
     * under {@code clients/} are left in place; remove them before issuing the same names again).
     */
    public InitResult init(ServerNames names, KeyType keyType, boolean force) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(keyType, "keyType");
        return locked(() -> {
            if (!force) {
                for (Path p : List.of(layout.caKey(), layout.caCertificate(), layout.serverKey(),
                        layout.serverCertificate())) {
                    if (Files.exists(p)) {
                        throw new CertsException(p + " already exists; refusing to overwrite existing keys"
                                + " (force replaces the CA, and every certificate it issued stops working)");
                    }
                }
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<Written> written = new ArrayList<>();
            KeyPair caKeys = X509Factory.generateKeyPair(keyType);
            byte[] tag = new byte[4];
            new SecureRandom().nextBytes(tag);
            X509Certificate caCert = X509Factory.ca(caKeys, "nacgw CA " + HexFormat.of().formatHex(tag),
                    X509Factory.newSerial(), now.minus(BACKDATE), now.plus(Duration.ofDays(CA_DAYS)));
            CaMaterial ca = new CaMaterial(caCert, caKeys.getPrivate());
            writeKey(layout.caKey(), ca.key(), "CA private key", written);
            writeCerts(layout.caCertificate(), List.of(caCert), "CA certificate", written);

            if (Files.exists(layout.index())) {
                Path archive = layout.directory().resolve("index-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC).format(now) + ".tsv");
                try {
                    Files.move(layout.index(), archive, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new CertsException("cannot archive " + layout.index() + " to " + archive + ": "
                            + e.getMessage(), e);
                }
                written.add(new Written("previous CA's index (archived)", archive, false));
            }
            IssuedCert server = writeServer(ca, names, now, List.of(), written);
            List<IssuedCert> index = List.of(server);
            CertIndex.write(layout.index(), index);
            written.add(new Written("certificate index", layout.index(), false));
            CrlResult crl = writeCrl(ca, index, now, BigInteger.ONE);
            written.addAll(crl.written());
            LOG.info("created {} CA {} and server certificate for {} {} in {}", keyType,
                    caCert.getSubjectX500Principal().getName(), names.hosts(), names.ips(), layout.directory());
            return new InitResult(caCert, loadServerCertificate(), server, written);
        });
    }

    /**
     * Replaces the server key and certificate (e.g. for new host names, or before it expires), signed by the
     * existing CA; client certificates stay valid. A running server picks the new files up on reload.
     */
    public InitResult renewServer(ServerNames names) {
        Objects.requireNonNull(names, "names");
        return locked(() -> {
            CaMaterial ca = loadCa();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<Written> written = new ArrayList<>();
            List<IssuedCert> index = new ArrayList<>(CertIndex.read(layout.index()));
            IssuedCert server = writeServer(ca, names, now, index, written);
            index.add(server);
            CertIndex.write(layout.index(), index);
            written.add(new Written("certificate index", layout.index(), false));
            LOG.info("renewed server certificate serial {} for {} {}", server.serialHex(), names.hosts(), names.ips());
            return new InitResult(ca.certificate(), loadServerCertificate(), server, written);
        });
    }

    private IssuedCert writeServer(CaMaterial ca, ServerNames names, Instant now, List<IssuedCert> index,
            List<Written> written) {
        KeyPair keys = X509Factory.generateKeyPair(ca.keyType());
        BigInteger serial = uniqueSerial(index);
        Instant notAfter = clampToCa(ca, now.plus(Duration.ofDays(SERVER_DAYS)));
        X509Certificate cert = X509Factory.server(keys.getPublic(), names, ca, serial, now.minus(BACKDATE), notAfter);
        writeKey(layout.serverKey(), keys.getPrivate(), "server private key", written);
        writeCerts(layout.serverCertificate(), List.of(cert, ca.certificate()),
                "server certificate chain", written);
        return entry(cert, names.commonName(), Optional.empty());
    }

    /** Issues a client certificate into {@code pki/clients/NAME/}; see {@link #issueClient(String, Role, int, Path, char[])}. */
    public IssuedClient issueClient(String name, Role role, int days, char[] pkcs12Password) {
        return issueClient(name, role, days, null, pkcs12Password);
    }

    /**
     * Issues a client certificate named {@code name} (its CN) for {@code role}, valid {@code days} days (capped at the
     * CA's own expiry), and writes {@code NAME.pem}, {@code NAME.key}, {@code NAME-chain.pem} and {@code NAME.p12}
     * into {@code outDir} ({@code null}: {@code pki/clients/NAME/}). Refuses to replace existing files there.
     * The PKCS#12 is protected by {@code pkcs12Password}, which is neither kept nor cleared.
     */
    public IssuedClient issueClient(String name, Role role, int days, Path outDir, char[] pkcs12Password) {
        Objects.requireNonNull(role, "role");
        if (name == null || !CLIENT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid client name '" + Texts.printable(name)
                    + "' (1-64 of letters, digits, '.', '_', '@', '-', starting with a letter or digit)");
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, was " + days);
        }
        if (pkcs12Password == null || pkcs12Password.length == 0) {
            throw new IllegalArgumentException("a non-empty PKCS#12 password is required");
        }
        Path dir = (outDir == null ? layout.clientDirectory(name) : outDir).toAbsolutePath().normalize();
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + ".key");
        Path chainFile = dir.resolve(name + "-chain.pem");
        Path p12File = dir.resolve(name + ".p12");
        return locked(() -> {
            for (Path p : List.of(certFile, keyFile, chainFile, p12File)) {
                if (Files.exists(p)) {
                    throw new CertsException(p + " already exists; remove it or choose another output directory");
                }
            }
            CaMaterial ca = loadCa();
            List<IssuedCert> index = new ArrayList<>(CertIndex.read(layout.index()));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant notAfter = clampToCa(ca, now.plus(Duration.ofDays(days)));
            if (!notAfter.isAfter(now)) {
                throw new CertsException("the CA certificate " + layout.caCertificate() + " has expired; run init again");
            }
            KeyPair keys = X509Factory.generateKeyPair(ca.keyType());
            X509Certificate cert = X509Factory.client(keys.getPublic(), name, role, ca, uniqueSerial(index),
                    now.minus(BACKDATE), notAfter);
            List<Written> written = new ArrayList<>();
            writeKey(keyFile, keys.getPrivate(), "client private key", written);
            writeCerts(certFile, List.of(cert), "client certificate", written);
            writeCerts(chainFile, List.of(cert, ca.certificate()), "client certificate chain", written);
            SecureFiles.write(p12File, pkcs12(name, keys.getPrivate(), cert, ca.certificate(), pkcs12Password), true);
            written.add(new Written("PKCS#12 (key and chain)", p12File, true));
            IssuedCert e = entry(cert, name, Optional.of(role));
            index.add(e);
            CertIndex.write(layout.index(), index);
            written.add(new Written("certificate index", layout.index(), false));
            LOG.info("issued {} certificate '{}' serial {} valid until {}", e.kind(), name, e.serialHex(), notAfter);
            return new IssuedClient(e, cert, certFile, keyFile, chainFile, p12File, written);
        });
    }

    /** Every certificate in the index, server and clients, in issue order. */
    public List<IssuedCert> list() {
        return CertIndex.read(layout.index());
    }

    /** Revokes the certificate with this serial and rewrites the CRL. */
    public RevokeResult revoke(BigInteger serial) {
        Objects.requireNonNull(serial, "serial");
        return revokeWhere(c -> c.serial().equals(serial), "serial " + serial.toString(16).toUpperCase(Locale.ROOT));
    }

    /** Revokes every unrevoked certificate named {@code name} and rewrites the CRL. */
    public RevokeResult revokeByName(String name) {
        Objects.requireNonNull(name, "name");
        return revokeWhere(c -> c.name().equals(name), "name '" + Texts.printable(name) + "'");
    }

    private RevokeResult revokeWhere(java.util.function.Predicate<IssuedCert> match, String what) {
        return locked(() -> {
            CaMaterial ca = loadCa();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            List<IssuedCert> index = new ArrayList<>(CertIndex.read(layout.index()));
            List<IssuedCert> revoked = new ArrayList<>();
            Optional<IssuedCert> alreadyRevoked = Optional.empty();
            for (int i = 0; i < index.size(); i++) {
                IssuedCert c = index.get(i);
                if (match.test(c)) {
                    if (c.revoked()) {
                        alreadyRevoked = Optional.of(c);
                    } else {
                        IssuedCert r = c.withRevokedAt(now);
                        index.set(i, r);
                        revoked.add(r);
                    }
                }
            }
            if (revoked.isEmpty()) {
                throw new CertsException(alreadyRevoked.map(c -> "certificate " + c.serialHex() + " ('" + c.name()
                        + "') was already revoked at " + c.revokedAt().orElseThrow())
                        .orElse("no certificate with " + what + " in " + layout.index()));
            }
            CertIndex.write(layout.index(), index);
            List<Written> written = new ArrayList<>();
            written.add(new Written("certificate index", layout.index(), false));
            CrlResult crl = writeCrl(ca, index, now, nextCrlNumber(ca));
            written.addAll(crl.written());
            for (IssuedCert r : revoked) {
                LOG.info("revoked {} certificate '{}' serial {}", r.kind(), r.name(), r.serialHex());
            }
            return new RevokeResult(revoked, crl, written);
        });
    }

    /** Writes a fresh CRL (new number, new validity window) listing every revoked certificate. */
    public CrlResult crl() {
        return locked(() -> {
            CaMaterial ca = loadCa();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            return writeCrl(ca, CertIndex.read(layout.index()), now, nextCrlNumber(ca));
        });
    }

    /**
     * Describes the first certificate in a PEM or DER file; when this CA issued it, the index entry (and so its
     * revocation) is included.
     */
    public CertificateInfo inspect(Path file) {
        X509Certificate cert = Pem.readCertificates(file, "certificate file").get(0);
        Optional<IssuedCert> entry = Optional.empty();
        if (Files.exists(layout.caCertificate())) {
            X509Certificate caCert = caCertificate();
            if (cert.getIssuerX500Principal().equals(caCert.getSubjectX500Principal())) {
                entry = list().stream().filter(c -> c.serial().equals(cert.getSerialNumber())).findFirst();
            }
        }
        return CertificateInfo.of(cert, entry);
    }

    /** The CA certificate, read from {@code ca.pem}. */
    public X509Certificate caCertificate() {
        return Pem.readCertificates(layout.caCertificate(), "CA certificate").get(0);
    }

    /** Parses a serial as printed by {@code list} or openssl: hex, optionally with {@code 0x} or colons. */
    public static BigInteger parseSerial(String text) {
        String s = text == null ? "" : text.strip().replace(":", "");
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        try {
            BigInteger v = new BigInteger(s, 16);
            if (v.signum() > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the operator's text
        }
        throw new IllegalArgumentException("invalid serial '" + Texts.printable(text) + "' (expected hex such as 4F1A…)");
    }

    private CrlResult writeCrl(CaMaterial ca, List<IssuedCert> index, Instant now, BigInteger number) {
        List<IssuedCert> revoked = index.stream().filter(IssuedCert::revoked).toList();
        Instant next = now.plus(CRL_VALIDITY);
        X509CRL crl = X509Factory.crl(ca, revoked, number, now, next);
        SecureFiles.write(layout.crl(), Pem.ascii(Pem.crl(crl)), false);
        return new CrlResult(layout.crl(), number, now, next, revoked,
                List.of(new Written("CRL (" + revoked.size() + " revoked, number " + number + ")", layout.crl(), false)));
    }

    /** One more than the number of the current CRL when the CA signed it; 1 when there is none. */
    private BigInteger nextCrlNumber(CaMaterial ca) {
        if (!Files.exists(layout.crl())) {
            return BigInteger.ONE;
        }
        X509CRL current = Pem.readCrl(layout.crl(), "CRL");
        try {
            current.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            LOG.warn("CRL {} is not signed by the CA {}; numbering restarts at 1", layout.crl(),
                    ca.certificate().getSubjectX500Principal().getName());
            return BigInteger.ONE;
        }
        byte[] ext = current.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ONE;
        }
        try {
            byte[] inner = org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets();
            return ASN1Integer.getInstance(inner).getValue().add(BigInteger.ONE);
        } catch (RuntimeException e) {
            throw new CertsException("CRL " + layout.crl() + " has an unreadable CRL number", e);
        }
    }

    private CaMaterial loadCa() {
        if (!Files.exists(layout.caCertificate()) || !Files.exists(layout.caKey())) {
            throw new CertsException("no CA in " + layout.directory() + " (" + layout.caCertificate().getFileName()
                    + " and " + layout.caKey().getFileName() + " missing); run init first");
        }
        X509Certificate cert = caCertificate();
        PrivateKey key = Pem.readPrivateKey(layout.caKey(), "CA private key");
        if (!Keys.matches(cert, key)) {
            throw new CertsException("CA private key " + layout.caKey() + " does not belong to CA certificate "
                    + layout.caCertificate());
        }
        return new CaMaterial(cert, key);
    }

    private X509Certificate loadServerCertificate() {
        return Pem.readCertificates(layout.serverCertificate(), "server certificate").get(0);
    }

    private static Instant clampToCa(CaMaterial ca, Instant notAfter) {
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        return notAfter.isAfter(caEnd) ? caEnd : notAfter;
    }

    private static BigInteger uniqueSerial(List<IssuedCert> index) {
        while (true) {
            BigInteger s = X509Factory.newSerial();
            if (index.stream().noneMatch(c -> c.serial().equals(s))) {
                return s;
            }
        }
    }

    private static IssuedCert entry(X509Certificate cert, String name, Optional<Role> role) {
        return new IssuedCert(cert.getSerialNumber(), name, role, cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(), Optional.empty());
    }

    private static void writeKey(Path file, PrivateKey key, String what, List<Written> written) {
        SecureFiles.write(file, Pem.ascii(Pem.privateKey(key)), true);
        written.add(new Written(what, file, true));
    }

    private static void writeCerts(Path file, List<X509Certificate> certs, String what, List<Written> written) {
        SecureFiles.write(file, Pem.ascii(Pem.certificates(certs)), false);
        written.add(new Written(what, file, false));
    }

    private static byte[] pkcs12(String alias, PrivateKey key, X509Certificate cert, X509Certificate ca,
            char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, password, new Certificate[] {cert, ca});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new CertsException("cannot build the PKCS#12 file for '" + alias + "': " + e.getMessage(), e);
        }
    }

    /** Runs {@code op} holding this JVM's lock and an OS file lock on the directory, so CLI runs never interleave. */
    private <T> T locked(Supplier<T> op) {
        SecureFiles.createPrivateDirectories(layout.directory());
        Object jvmLock = JVM_LOCKS.computeIfAbsent(layout.directory(), d -> new Object());
        synchronized (jvmLock) {
            try (FileChannel ch = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    return op.get();
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new CertsException("cannot lock " + layout.lockFile() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + layout.directory() + "]";
    }
}
