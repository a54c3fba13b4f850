package io.nacgw.certs;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/** The protocol and cipher-suite policy shared by server and client contexts. */
final class TlsSettings {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3 AEAD suites, then TLS 1.2 ECDHE with AEAD only: forward secrecy and no CBC, RSA key exchange or SHA-1. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsSettings() {
    }

    static SSLContext context(KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km, tm, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new CertsException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /** The policy's protocols and suites that this JDK supports; fails if none would remain. */
    static SSLParameters parameters(SSLContext ctx) {
        SSLParameters supported = ctx.getSupportedSSLParameters();
        Set<String> protocols = Set.of(supported.getProtocols());
        Set<String> suites = Set.of(supported.getCipherSuites());
        List<String> p = new ArrayList<>();
        for (String s : PROTOCOLS) {
            if (protocols.contains(s)) {
                p.add(s);
            }
        }
        List<String> c = new ArrayList<>();
        for (String s : CIPHER_SUITES) {
            if (suites.contains(s)) {
                c.add(s);
            }
        }
        if (p.isEmpty() || c.isEmpty()) {
            throw new CertsException("this JDK supports none of the TLS protocols " + PROTOCOLS + " or cipher suites "
                    + CIPHER_SUITES + " (has " + Arrays.toString(supported.getProtocols()) + ")");
        }
        SSLParameters params = new SSLParameters(c.toArray(new String[0]), p.toArray(new String[0]));
        params.setUseCipherSuitesOrder(true);
        return params;
    }
}
