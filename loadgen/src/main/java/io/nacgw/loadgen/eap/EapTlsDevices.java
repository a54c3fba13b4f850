package io.nacgw.loadgen.eap;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.loadgen.TargetClass;
import io.nacgw.loadgen.Targets;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The supplicants of an EAP-TLS run: one ECDSA P-256 device certificate per device, issued in memory by a CA given as
 * PEM files, shaped like an Intune SCEP certificate (SAN URI {@code IntuneDeviceId://<id>}, clientAuth, CN the device
 * name). The server under test must trust that CA.
 */
public final class EapTlsDevices {
    /** One supplicant: who it is, which class its answer belongs to, and its certificate and key. */
    public record Device(String name, String intuneId, long mac, TargetClass cls, X509Certificate certificate,
                         PrivateKey key) {
        public Device {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "Device[" + name + ", " + intuneId + ", " + cls + "]"; // never the key
        }
    }

    private EapTlsDevices() {
    }

    /**
     * Certificates for the first {@code count} records that have a MAC (fewer when there are
     * fewer), signed by {@code ca}/{@code caKey}.
     */
    public static List<Device> issue(List<DeviceRecord> records, int count, X509Certificate ca, PrivateKey caKey) {
        if (count < 1) {
            throw new IllegalArgumentException("--eap-devices must be at least 1");
        }
        List<Device> out = new ArrayList<>();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            String alg = caKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            long serial = now.toEpochMilli() << 16;
            for (DeviceRecord r : records) {
                if (out.size() >= count) {
                    break;
                }
                if (r.macs().isEmpty()) {
                    continue;
                }
                String id = r.deviceId().canonical();
                String name = r.deviceName().orElse(id).replaceAll("[^A-Za-z0-9._-]", "-");
                KeyPair keys = g.generateKeyPair();
                JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                        new X500Name("CN=" + name), keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, "IntuneDeviceId://" + id)));
                X509Certificate cert = new JcaX509CertificateConverter()
                        .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(caKey)));
                out.add(new Device(name, id, toLong(r.macs().get(0)), Targets.classOf(r), cert, keys.getPrivate()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue device certificates: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no device has a MAC");
        }
        return out;
    }

    private static long toLong(MacAddress m) {
        return Long.parseLong(m.toHex12(), 16);
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalArgumentException("--eap-ca " + file + ": not a PEM certificate (" + e.getMessage() + ")", e);
        }
    }

    /** An unencrypted PEM private key (PKCS#8, or EC/RSA traditional). */
    public static PrivateKey readKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair) {
                return conv.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo) {
                return conv.getPrivateKey((PrivateKeyInfo) o);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--eap-ca-key " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("--eap-ca-key " + file + " holds no unencrypted PEM private key");
    }
}
