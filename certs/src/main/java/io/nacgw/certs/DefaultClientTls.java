package io.nacgw.certs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** A client context: the JDK's PKIX trust manager over the given CAs, and at most one client identity. */
final class DefaultClientTls implements ClientTls {
    private final SSLContext context;
    private final SSLParameters parameters;

    private DefaultClientTls(SSLContext context, SSLParameters parameters) {
        this.context = context;
        this.parameters = parameters;
    }

    static DefaultClientTls create(List<Path> trustedCas, PrivateKey key, List<X509Certificate> chain) {
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("a client context needs at least one trusted CA file");
        }
        TrustManager[] tm;
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Path p : trustedCas) {
                for (X509Certificate c : Pem.readCertificates(p, "trusted CA file")) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            tm = tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new CertsException("cannot build the client trust store from " + trustedCas + ": " + e.getMessage(),
                    e);
        }
        KeyManager[] km = key == null ? null : new KeyManager[] {new SingleKeyManager(key, chain)};
        SSLContext ctx = TlsSettings.context(km, tm);
        SSLParameters params = TlsSettings.parameters(ctx);
        params.setEndpointIdentificationAlgorithm("HTTPS");
        return new DefaultClientTls(ctx, params);
    }

    static DefaultClientTls fromPem(List<Path> trustedCas, Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = Pem.readCertificates(certificateChain, "client certificate");
        PrivateKey key = Pem.readPrivateKey(privateKey, "client private key");
        if (!Keys.matches(chain.get(0), key)) {
            throw new CertsException("client private key " + privateKey
                    + " does not belong to the first certificate in " + certificateChain);
        }
        return create(trustedCas, key, chain);
    }

    static DefaultClientTls fromPkcs12(List<Path> trustedCas, Path pkcs12, char[] password) {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return create(trustedCas, key, chain);
                }
            }
            throw new CertsException("PKCS#12 file " + pkcs12 + " holds no private key entry");
        } catch (NoSuchFileException e) {
            throw new CertsException("PKCS#12 file " + pkcs12 + " does not exist", e);
        } catch (IOException e) {
            throw new CertsException("cannot read PKCS#12 file " + pkcs12 + " (wrong password?): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertsException("cannot read PKCS#12 file " + pkcs12 + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(sslParameters());
        return engine;
    }

    @Override
    public SSLContext sslContext() {
        return context;
    }

    @Override
    public SSLParameters sslParameters() {
        SSLParameters p = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        p.setEndpointIdentificationAlgorithm(parameters.getEndpointIdentificationAlgorithm());
        return p;
    }

    @Override
    public String toString() {
        return "ClientTls[" + String.join(",", parameters.getProtocols()) + "]";
    }
}
