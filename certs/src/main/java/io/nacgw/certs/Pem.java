package io.nacgw.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM and DER reading and writing of certificates, CRLs and private keys, with errors naming the file. */
final class Pem {
    private Pem() {
    }

    static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    /** All certificates in a PEM (one or many) or DER file, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file, String what) {
        byte[] bytes = SecureFiles.read(file, what);
        try {
            Collection<? extends java.security.cert.Certificate> certs =
                    x509().generateCertificates(new ByteArrayInputStream(bytes));
            List<X509Certificate> out = new ArrayList<>(certs.size());
            for (java.security.cert.Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new CertsException(what + " " + file + " holds no certificate");
            }
            return List.copyOf(out);
        } catch (CertificateException e) {
            throw new CertsException(what + " " + file + " is not a PEM or DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    static X509CRL readCrl(Path file, String what) {
        byte[] bytes = SecureFiles.read(file, what);
        try {
            X509CRL crl = (X509CRL) x509().generateCRL(new ByteArrayInputStream(bytes));
            if (crl == null) {
                throw new CertsException(what + " " + file + " holds no CRL");
            }
            return crl;
        } catch (CRLException e) {
            throw new CertsException(what + " " + file + " is not a PEM or DER X.509 CRL: " + e.getMessage(), e);
        }
    }

    /** A private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or the traditional EC/RSA forms; not encrypted. */
    static PrivateKey readPrivateKey(Path file, String what) {
        byte[] bytes = SecureFiles.read(file, what);
        try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo) {
                return conv.getPrivateKey((PrivateKeyInfo) o);
            }
            if (o instanceof PEMKeyPair) {
                // the traditional form's public key is optional; only the private part is needed
                return conv.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
            }
            throw new CertsException(what + " " + file + " holds no unencrypted PEM private key"
                    + (o == null ? "" : " (found " + o.getClass().getSimpleName() + ")"));
        } catch (IOException e) {
            throw new CertsException(what + " " + file + " is not a readable PEM private key: " + e.getMessage(), e);
        }
    }

    static String encode(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    static String certificates(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append(encode("CERTIFICATE", c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new CertsException("cannot encode certificate " + c.getSubjectX500Principal(), e);
            }
        }
        return sb.toString();
    }

    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new CertsException("private key is not PKCS#8 encodable (" + key.getFormat() + ")");
        }
        return encode("PRIVATE KEY", key.getEncoded());
    }

    static String crl(X509CRL crl) {
        try {
            return encode("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new CertsException("cannot encode CRL", e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
