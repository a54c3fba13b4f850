package io.nacgw.certs;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A server-side TLS context built from nacgw's files: hands out server-mode {@link SSLEngine}s limited to TLS 1.2
 * and 1.3 with modern cipher suites and the configured client-certificate policy. Put one engine in each
 * connection (e.g. Netty's {@code new SslHandler(tls.newEngine())}); after a handshake, read the peer's role with
 * {@link Roles#of(javax.net.ssl.SSLSession)}.
 */
public interface ServerTls {

    /** A new server-mode engine, fully configured. */
    SSLEngine newEngine();

    /** The underlying context; apply {@link #sslParameters()} to whatever it creates. */
    SSLContext sslContext();

    /** Protocols, cipher suites and client-auth mode, for sockets or engines made from {@link #sslContext()}. */
    SSLParameters sslParameters();

    /** The server certificate currently presented. */
    X509Certificate certificate();

    /**
     * Whether a client chain (leaf first) accepted by an earlier handshake would still be accepted now: validity,
     * path to a trusted CA, the current CRLs, roles. For re-checking open connections after a CRL change; logs
     * nothing.
     */
    boolean stillTrusts(X509Certificate[] chain);
}
