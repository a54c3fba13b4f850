package io.nacgw.certs;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A client-side TLS context (tests, the load generator, a JDK HTTP client): trusts the given CAs, presents a client
 * certificate if configured, TLS 1.2 and 1.3 only, and checks the server's host name against its SANs.
 */
public interface ClientTls {

    /** A client-mode engine for {@code host:port}, with HTTPS host-name verification on. */
    SSLEngine newEngine(String host, int port);

    /** The underlying context, e.g. for {@code HttpClient.newBuilder().sslContext(...)}. */
    SSLContext sslContext();

    /** Protocols, cipher suites and HTTPS host-name verification, e.g. for {@code HttpClient.Builder.sslParameters}. */
    SSLParameters sslParameters();
}
