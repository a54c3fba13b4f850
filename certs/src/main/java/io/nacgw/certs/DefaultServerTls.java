package io.nacgw.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A server context loaded once from its files; immutable. */
final class DefaultServerTls implements ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultServerTls.class);
    /**
     * A resumed session skips certificate verification, so a certificate that expires meanwhile stays usable until
     * its session times out; one hour (instead of the JDK's 24) bounds that. Reloads start a fresh session cache,
     * so a revocation takes effect at the next reload.
     */
    static final int SESSION_TIMEOUT_SECONDS = 3600;

    private final SSLContext context;
    private final SSLParameters parameters;
    private final X509Certificate certificate;
    private final ClientCertificateVerifier verifier;

    private DefaultServerTls(SSLContext context, SSLParameters parameters, X509Certificate certificate,
                             ClientCertificateVerifier verifier) {
        this.context = context;
        this.parameters = parameters;
        this.certificate = certificate;
        this.verifier = verifier;
    }

    static DefaultServerTls load(ServerTlsConfig config) {
        List<X509Certificate> chain = Pem.readCertificates(config.certificateChain(), "server certificate");
        PrivateKey key = Pem.readPrivateKey(config.privateKey(), "server private key");
        if (!Keys.matches(chain.get(0), key)) {
            throw new CertsException("server private key " + config.privateKey()
                    + " does not belong to the first certificate in " + config.certificateChain());
        }
        Instant now = config.clock().instant();
        X509Certificate leaf = chain.get(0);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            LOG.warn("server certificate {} expired at {}; clients will refuse it", config.certificateChain(),
                    leaf.getNotAfter().toInstant());
        }
        TrustMaterial trust = TrustMaterial.load(config);
        for (TrustMaterial.Crl crl : trust.allCrls()) {
            if (crl.crl().getNextUpdate() != null && now.isAfter(crl.crl().getNextUpdate().toInstant())) {
                LOG.warn("CRL {} was due for renewal at {}; still using it (refresh it with 'nacgw certs crl')",
                        crl.source(), crl.crl().getNextUpdate().toInstant());
            }
        }
        KeyManager[] km = {new SingleKeyManager(key, chain)};
        ClientCertificateVerifier verifier = new ClientCertificateVerifier(trust, config.requiredRoles(), config.clock());
        TrustManager[] tm = {verifier};
        SSLContext ctx = TlsSettings.context(km, tm);
        ctx.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
        SSLParameters params = TlsSettings.parameters(ctx);
        switch (config.clientAuth()) {
            case REQUIRE:
                params.setNeedClientAuth(true);
                break;
            case OPTIONAL:
                params.setWantClientAuth(true);
                break;
            default:
                params.setNeedClientAuth(false);
                params.setWantClientAuth(false);
        }
        return new DefaultServerTls(ctx, params, leaf, verifier);
    }

    @Override
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
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
        p.setUseCipherSuitesOrder(parameters.getUseCipherSuitesOrder());
        if (parameters.getNeedClientAuth()) {
            p.setNeedClientAuth(true);
        } else if (parameters.getWantClientAuth()) {
            p.setWantClientAuth(true);
        }
        return p;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public boolean stillTrusts(X509Certificate[] chain) {
        return verifier.accepts(chain);
    }

    @Override
    public String toString() {
        return "ServerTls[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
