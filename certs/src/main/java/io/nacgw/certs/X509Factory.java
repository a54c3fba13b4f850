package io.nacgw.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds keys, certificates and CRLs with BouncyCastle's ASN.1 builders, signing through the JDK's own providers.
 * Profiles: the CA is a path-length-0 CA; the server certificate has EKU serverAuth and DNS/IP SANs; a client
 * certificate has EKU clientAuth and its role as a SAN URI.
 */
final class X509Factory {
    private static final SecureRandom RANDOM = new SecureRandom();

    private X509Factory() {
    }

    static KeyPair generateKeyPair(KeyType type) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type.jcaAlgorithm());
            if (type == KeyType.ECDSA_P256) {
                g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            } else {
                g.initialize(3072, RANDOM);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CertsException("cannot generate a " + type + " key: " + e.getMessage(), e);
        }
    }

    /** A random positive 127-bit serial number (RFC 5280 allows up to 20 octets; randomness defeats collisions). */
    static BigInteger newSerial() {
        return new BigInteger(127, RANDOM).setBit(120);
    }

    static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "nacgw").addRDN(BCStyle.CN, cn).build();
    }

    static X509Certificate ca(KeyPair keys, String cn, BigInteger serial, Instant from, Instant to) {
        X500Name subject = name(cn);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial, Date.from(from),
                    Date.from(to), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate(), KeyType.ofAlgorithm(keys.getPublic().getAlgorithm()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new CertsException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate server(PublicKey key, ServerNames names, CaMaterial ca, BigInteger serial, Instant from,
            Instant to) {
        List<GeneralName> sans = new ArrayList<>();
        for (String h : names.hosts()) {
            sans.add(new GeneralName(GeneralName.dNSName, h));
        }
        for (String ip : names.ips()) {
            sans.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        return leaf(key, name(names.commonName()), sans, KeyPurposeId.id_kp_serverAuth, ca, serial, from, to);
    }

    static X509Certificate client(PublicKey key, String name, Role role, CaMaterial ca, BigInteger serial,
            Instant from, Instant to) {
        List<GeneralName> sans = List.of(new GeneralName(GeneralName.uniformResourceIdentifier, role.uri()));
        return leaf(key, name(name), sans, KeyPurposeId.id_kp_clientAuth, ca, serial, from, to);
    }

    private static X509Certificate leaf(PublicKey key, X500Name subject, List<GeneralName> sans, KeyPurposeId purpose,
            CaMaterial ca, BigInteger serial, Instant from, Instant to) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial, Date.from(from),
                    Date.from(to), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature;
            if ("RSA".equals(key.getAlgorithm())) {
                usage |= KeyUsage.keyEncipherment;
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate()));
            return sign(b, ca.key(), ca.keyType());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new CertsException("cannot build certificate " + subject + ": " + e.getMessage(), e);
        }
    }

    /** A CRL listing every revoked entry, signed by the CA. */
    static X509CRL crl(CaMaterial ca, List<IssuedCert> revoked, BigInteger number, Instant thisUpdate,
            Instant nextUpdate) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (IssuedCert c : revoked) {
                b.addCRLEntry(c.serial(), Date.from(c.revokedAt().orElseThrow()), CRLReason.unspecified);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate()));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            ContentSigner signer = signer(ca.key(), ca.keyType());
            X509CRLHolder holder = b.build(signer);
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new CertsException("cannot build the CRL: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, KeyType type)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(key, type)));
    }

    private static ContentSigner signer(PrivateKey key, KeyType type) {
        try {
            return new JcaContentSignerBuilder(type.signatureAlgorithm()).build(key);
        } catch (OperatorCreationException e) {
            throw new CertsException("cannot sign with the " + type + " CA key: " + e.getMessage(), e);
        }
    }
}
