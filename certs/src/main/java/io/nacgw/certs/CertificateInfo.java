package io.nacgw.certs;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code nacgw certs inspect} shows about a certificate: names, validity, key, role, device ids and, when this
 * CA issued it, its index entry. {@link #describe(Instant)} renders it for a terminal.
 */
public record CertificateInfo(String subject, String issuer, BigInteger serial, Instant notBefore, Instant notAfter,
        List<String> subjectAltNames, List<String> extendedKeyUsages, boolean ca, String publicKey,
        String sha256Fingerprint, Optional<Role> role, CertificateDeviceIds deviceIds,
        Optional<IssuedCert> indexEntry) {

    public CertificateInfo {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        subjectAltNames = List.copyOf(subjectAltNames);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(deviceIds, "deviceIds");
        Objects.requireNonNull(indexEntry, "indexEntry");
    }

    /** Describes {@code cert} without consulting any index. */
    public static CertificateInfo of(X509Certificate cert) {
        return of(cert, Optional.empty());
    }

    static CertificateInfo of(X509Certificate cert, Optional<IssuedCert> indexEntry) {
        List<String> sans = new ArrayList<>();
        Sans.Result r = Sans.read(cert);
        for (Sans.Name n : r.names()) {
            sans.add(Sans.display(n));
        }
        r.error().ifPresent(e -> sans.add("<" + e + ">"));
        List<String> ekus = new ArrayList<>();
        try {
            List<String> oids = cert.getExtendedKeyUsage();
            if (oids != null) {
                for (String oid : oids) {
                    ekus.add(ekuName(oid));
                }
            }
        } catch (CertificateParsingException e) {
            ekus.add("<unreadable>");
        }
        return new CertificateInfo(cert.getSubjectX500Principal().getName(), cert.getIssuerX500Principal().getName(),
                cert.getSerialNumber(), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), sans, ekus,
                cert.getBasicConstraints() >= 0, keyDescription(cert.getPublicKey()), fingerprint(cert),
                Roles.of(cert), DeviceIds.fromCertificate(cert), indexEntry);
    }

    public String serialHex() {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    /** Multi-line text for a terminal; {@code now} decides the validity status shown. */
    public String describe(Instant now) {
        StringBuilder sb = new StringBuilder();
        line(sb, "subject", Texts.printable(subject, 1024));
        line(sb, "issuer", Texts.printable(issuer, 1024));
        line(sb, "serial", serialHex());
        String status = now.isAfter(notAfter) ? "EXPIRED" : now.isBefore(notBefore) ? "NOT YET VALID" : "valid";
        line(sb, "validity", notBefore + " .. " + notAfter + " (" + status + ")");
        line(sb, "public key", publicKey);
        line(sb, "CA", ca ? "yes" : "no");
        line(sb, "key usage", extendedKeyUsages.isEmpty() ? "-" : String.join(", ", extendedKeyUsages));
        line(sb, "SANs", subjectAltNames.isEmpty() ? "-" : String.join(", ", subjectAltNames));
        line(sb, "role", role.map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("-"));
        if (deviceIds.isEmpty()) {
            line(sb, "device id", "-");
        }
        for (var id : deviceIds.ids()) {
            line(sb, "device id", id.kind().label() + " " + id.canonical());
        }
        for (SkippedSan s : deviceIds.skipped()) {
            line(sb, "skipped SAN", s.value() + " (" + s.reason() + ")");
        }
        line(sb, "SHA-256", sha256Fingerprint);
        indexEntry.ifPresent(e -> line(sb, "nacgw index",
                e.kind() + " '" + e.name() + "', " + e.status(now)
                        + e.revokedAt().map(t -> " at " + t).orElse("")));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", key + ":", value));
    }

    static String ekuName(String oid) {
        switch (oid) {
            case "1.3.6.1.5.5.7.3.1": return "serverAuth";
            case Roles.CLIENT_AUTH_OID: return "clientAuth";
            case "2.5.29.37.0": return "anyExtendedKeyUsage";
            default: return oid;
        }
    }

    static String keyDescription(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return "EC " + ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() + "-bit";
        }
        if (key instanceof RSAPublicKey) {
            return "RSA " + ((RSAPublicKey) key).getModulus().bitLength() + "-bit";
        }
        return key.getAlgorithm();
    }

    static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new CertsException("cannot fingerprint " + cert.getSubjectX500Principal(), e);
        }
    }
}
