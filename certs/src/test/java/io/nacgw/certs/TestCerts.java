package io.nacgw.certs;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates nacgw did not issue: foreign CAs and MDM device certificates shaped like Intune SCEP/PKCS ones. */
final class TestCerts {
    static final String ENTRA_ID = "4c7d2a1e-9b3f-4e8a-a1b2-c3d4e5f60718";
    static final String INTUNE_ID = "1759c0fd-7b3c-4d2a-9f5e-0123456789ab";
    static final String SID_TAG = "tag:microsoft.com,2022-09-14:sid:S-1-5-21-1004336348-1177238915-682003330-512";

    private TestCerts() {
    }

    /** A CA that is not nacgw's, e.g. an MDM's SCEP CA; saved as PEM when {@code file} is given. */
    static CaMaterial foreignCa(String cn, Path file) {
        KeyPair kp = X509Factory.generateKeyPair(KeyType.ECDSA_P256);
        Instant now = Instant.now();
        X509Certificate cert = X509Factory.ca(kp, cn, X509Factory.newSerial(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)));
        if (file != null) {
            SecureFiles.write(file, Pem.ascii(Pem.certificates(List.of(cert))), false);
        }
        return new CaMaterial(cert, kp.getPrivate());
    }

    /** A device certificate the way an Intune SCEP profile builds it: the given subject, EKU clientAuth, SAN URIs. */
    static X509Certificate device(CaMaterial ca, KeyPair keys, String subjectDn, List<String> sanUris) {
        GeneralName[] names = sanUris.stream().map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u))
                .toArray(GeneralName[]::new);
        try {
            return deviceRawSan(ca, keys, subjectDn, names.length == 0 ? null : new GeneralNames(names).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As above with the raw DER of the subjectAltName extension value (null: none), to build malformed ones. */
    static X509Certificate deviceRawSan(CaMaterial ca, KeyPair keys, String subjectDn, byte[] sanDer) {
        Instant now = Instant.now();
        return device(ca, keys, subjectDn, sanDer, now.minusSeconds(3600), now.plus(Duration.ofDays(365)));
    }

    /** A device certificate without SANs valid from {@code from} to {@code to}. */
    static X509Certificate device(CaMaterial ca, KeyPair keys, String subjectDn, Instant from, Instant to) {
        return device(ca, keys, subjectDn, null, from, to);
    }

    private static X509Certificate device(CaMaterial ca, KeyPair keys, String subjectDn, byte[] sanDer, Instant from,
            Instant to) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    new BigInteger(64, new java.security.SecureRandom()).setBit(62), Date.from(from),
                    Date.from(to), new X500Name(subjectDn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (sanDer != null) {
                b.addExtension(Extension.subjectAlternativeName, false, sanDer);
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeys() {
        return X509Factory.generateKeyPair(KeyType.ECDSA_P256);
    }

    static void writeChain(Path file, X509Certificate... certs) {
        SecureFiles.write(file, Pem.ascii(Pem.certificates(List.of(certs))), false);
    }

    static void writeKey(Path file, KeyPair keys) {
        SecureFiles.write(file, Pem.ascii(Pem.privateKey(keys.getPrivate())), true);
    }
}
