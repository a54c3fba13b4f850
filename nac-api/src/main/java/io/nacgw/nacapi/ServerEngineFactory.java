package io.nacgw.nacapi;

import io.netty.buffer.ByteBufAllocator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.util.function.Supplier;

/**
 * Makes the server-mode {@link SSLEngine} for each new connection. With the {@code certs} module pass
 * {@code serverTls::newEngine} (its engines verify client certificates against the nacgw CA and the CRL, and it
 * reloads changed files); with a plain JDK context use {@link #fromContext}. Either way the API keeps only
 * TLS 1.2 and 1.3 enabled and refuses to start otherwise.
 */
@FunctionalInterface
public interface ServerEngineFactory {

    SSLEngine newEngine();

    /**
     * Engines from a JDK context, asked per connection (a reloaded context applies to new connections), with
     * Netty's secure cipher-suite defaults and the given client-certificate policy.
     */
    static ServerEngineFactory fromContext(Supplier<SSLContext> context, ClientAuthMode clientAuth) {
        TlsContexts contexts = new TlsContexts(context, clientAuth);
        return () -> contexts.current().newEngine(ByteBufAllocator.DEFAULT);
    }
}
