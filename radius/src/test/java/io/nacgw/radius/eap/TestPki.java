package io.nacgw.radius.eap;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for the EAP tests, shaped like an Intune deployment: a root and an issuing CA (like Cloud PKI or an
 * NDES/SCEP issuing CA) giving device certificates with the SAN URI {@code IntuneDeviceId://<guid>} and clientAuth;
 * a separate CA for the RADIUS server's certificate; and the broken cases (expired, revoked, serverAuth only, from
 * an untrusted CA). Everything is written as PEM into one directory.
 */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    record Issued(X509Certificate cert, KeyPair keys, List<X509Certificate> chain, Path certFile, Path keyFile) {
    }

    final Path dir;
    final Issued root;
    final Issued issuing;
    final Issued serverCa;
    final Issued server;
    final Path trustedCas;
    final Path serverCaFile;
    private final List<BigInteger> revoked = new ArrayList<>();

    /** The instant device certificates are valid around (the tests' clock). */
    final Instant now;

    TestPki(Path dir, Instant now, boolean rsaServer) {
        this.dir = dir;
        this.now = now;
        this.root = ca("root", "CN=Test Intune Root CA, O=Contoso", null, rsa(2048));
        this.issuing = ca("issuing", "CN=Test Intune Issuing CA - SCEP, O=Contoso", root, rsa(2048));
        this.serverCa = ca("server-ca", "CN=nacgw test server CA", null, rsaServer ? rsa(4096) : ec());
        this.server = leaf("server", "CN=radius.contoso.test", serverCa, rsaServer ? rsa(4096) : ec(), List.of(),
                KeyPurposeId.id_kp_serverAuth, now.minus(Duration.ofDays(30)), Duration.ofDays(3650));
        this.trustedCas = write("trusted-cas.pem", pem(issuing.cert()) + pem(root.cert()));
        this.serverCaFile = serverCa.certFile();
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued ca(String name, String dn, Issued parent, KeyPair keys) {
        try {
            X500Name subject = new X500Name(dn);
            X500Name issuer = parent == null ? subject : X500Name.getInstance(parent.cert().getSubjectX500Principal().getEncoded());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(60))), Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(parent == null ? 1 : 0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate c = sign(b, parent == null ? keys : parent.keys());
            List<X509Certificate> chain = new ArrayList<>(List.of(c));
            if (parent != null) {
                chain.addAll(parent.chain());
            }
            return new Issued(c, keys, chain, write(name + ".pem", pem(c)), write(name + ".key", pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device certificate: CN, SAN URIs, the given EKU, from {@code ca}, valid from {@code from} for {@code life}. */
    Issued leaf(String name, String dn, Issued ca, KeyPair keys, List<String> uris, KeyPurposeId eku, Instant from,
                Duration life) {
        return leafNamed(name, dn, ca, keys, uris.stream().map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u))
                .toArray(GeneralName[]::new), eku, from, life, null);
    }

    /** {@link #device(String, String, KeyPair)} naming {@code ocspUrl} as its OCSP responder (AIA). */
    Issued deviceWithOcsp(String name, String intuneId, String ocspUrl) {
        return leafNamed(name, "CN=" + name, issuing, ec(),
                new GeneralName[]{new GeneralName(GeneralName.uniformResourceIdentifier, "IntuneDeviceId://" + intuneId)},
                KeyPurposeId.id_kp_clientAuth, now.minus(Duration.ofDays(1)), Duration.ofDays(365), ocspUrl);
    }

    /** A device certificate from the issuing CA, valid now, clientAuth, with any subject alternative names. */
    Issued device(String name, String dn, GeneralName... names) {
        return leafNamed(name, dn, issuing, ec(), names, KeyPurposeId.id_kp_clientAuth, now.minus(Duration.ofDays(1)),
                Duration.ofDays(365), null);
    }

    private Issued leafNamed(String name, String dn, Issued ca, KeyPair keys, GeneralName[] names, KeyPurposeId eku,
                             Instant from, Duration life, String ocspUrl) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(from.plus(life)),
                    new X500Name(dn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            if (ocspUrl != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                        org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
            }
            if (names.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate c = sign(b, ca.keys());
            List<X509Certificate> chain = new ArrayList<>(List.of(c));
            chain.addAll(ca.chain());
            StringBuilder all = new StringBuilder();
            for (X509Certificate x : chain) {
                all.append(pem(x));
            }
            return new Issued(c, keys, chain, write(name + ".pem", all.toString()), write(name + ".key", pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device certificate from the issuing CA with {@code IntuneDeviceId://id}, valid now, clientAuth. */
    Issued device(String name, String intuneId, KeyPair keys) {
        return leaf(name, "CN=" + name, issuing, keys, List.of("IntuneDeviceId://" + intuneId),
                KeyPurposeId.id_kp_clientAuth, now.minus(Duration.ofDays(1)), Duration.ofDays(365));
    }

    /** Revokes {@code serial} and rewrites the issuing CA's CRL; returns the CRL file. */
    Path revoke(X509Certificate cert) {
        revoked.add(cert.getSerialNumber());
        return crl();
    }

    Path crl() {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(issuing.cert().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minus(Duration.ofHours(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (BigInteger s : revoked) {
                b.addCRLEntry(s, Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
            }
            X509CRLHolder h = b.build(signer(issuing.keys()));
            X509CRL crl = new JcaX509CRLConverter().getCRL(h);
            return write("issuing.crl.pem", pem(crl));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A separate, untrusted CA and a device certificate from it. */
    Issued foreign(String name, String intuneId) {
        Issued other = ca("foreign-ca", "CN=Foreign MDM CA", null, ec());
        return leaf(name, "CN=" + name, other, ec(), List.of("IntuneDeviceId://" + intuneId),
                KeyPurposeId.id_kp_clientAuth, now.minus(Duration.ofDays(1)), Duration.ofDays(30));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(KeyPair k) throws Exception {
        String alg = k.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaContentSignerBuilder(alg).build(k.getPrivate());
    }

    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
