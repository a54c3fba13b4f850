package io.nacgw.sync;

import io.nacgw.core.secret.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;

/**
 * The application's certificate and RSA private key, for OAuth2 client authentication with a signed JWT
 * (RFC 7523 {@code client_assertion}) instead of a client secret. Loaded by the caller from a PKCS#12 file;
 * {@link #toString()} shows the subject and thumbprint, never the key.
 */
public final class ClientCertificate {
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final String x5t;
    private final String thumbprint;

    private ClientCertificate(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
        byte[] sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        // Entra ID finds the registered certificate by its SHA-1 thumbprint in the JWT header
        this.x5t = Base64.getUrlEncoder().withoutPadding().encodeToString(sha1);
        this.thumbprint = HexFormat.of().withUpperCase().formatHex(sha1);
    }

    /**
     * Reads the key entry {@code alias} (or the only key entry when null) of a PKCS#12 file.
     *
     * @throws IllegalArgumentException naming {@code sync.clientCertificate} when the file cannot be used
     */
    public static ClientCertificate fromPkcs12(Path file, Secret password, String alias) {
        char[] pw = password.revealChars();
        try {
            return fromPkcs12(file, pw, alias);
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
    }

    private static ClientCertificate fromPkcs12(Path file, char[] pw, String alias) {
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("sync.clientCertificate: cannot read the PKCS#12 file " + file + ": "
                    + e.getMessage(), e);
        }
        try {
            String a = alias;
            if (a == null) {
                for (String name : Collections.list(ks.aliases())) {
                    if (ks.isKeyEntry(name)) {
                        if (a != null) {
                            throw new IllegalArgumentException("sync.clientCertificate: " + file
                                    + " holds several keys; set sync.clientCertificateAlias");
                        }
                        a = name;
                    }
                }
            }
            if (a == null || !ks.isKeyEntry(a)) {
                throw new IllegalArgumentException("sync.clientCertificate: " + file + " has no private key"
                        + (alias == null ? "" : " under alias '" + alias + "'"));
            }
            PrivateKey key = (PrivateKey) ks.getKey(a, pw);
            Certificate cert = ks.getCertificate(a);
            if (!(key instanceof RSAPrivateKey) || !(cert instanceof X509Certificate)) {
                throw new IllegalArgumentException("sync.clientCertificate: the key in " + file
                        + " must be an RSA key with an X.509 certificate (the token endpoint expects RS256)");
            }
            return new ClientCertificate((X509Certificate) cert, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sync.clientCertificate: cannot read the key in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** The certificate's SHA-1 thumbprint in upper-case hex, as the Entra portal shows it. */
    public String thumbprint() {
        return thumbprint;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** Base64url SHA-1 thumbprint for the JWT {@code x5t} header. */
    String x5t() {
        return x5t;
    }

    PrivateKey key() {
        return key;
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + certificate.getSubjectX500Principal().getName() + ", thumbprint " + thumbprint
                + "]";
    }
}
