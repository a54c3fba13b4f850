package io.nacgw.nacapi.server;

import javax.net.ssl.SSLEngine;

/**
 * Makes the server-mode {@link SSLEngine} for each new connection. With the {@code certs} module pass
 * {@code serverTls::newEngine} (its engines verify client certificates against the nacgw CA and the CRL, and it
 * reloads changed files). The API keeps only TLS 1.2 and 1.3 enabled and refuses to start otherwise.
 */
@FunctionalInterface
public interface ServerEngineFactory {

    SSLEngine newEngine();
}
