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
}
