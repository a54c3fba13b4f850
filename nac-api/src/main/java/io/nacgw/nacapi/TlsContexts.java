package io.nacgw.nacapi;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wraps the caller's JDK {@link SSLContext} for Netty, TLS 1.2 and 1.3 only. The supplier is asked per
 * connection, so a reloaded context (new certificate, trust store or CRL) applies to new connections while
 * established ones continue; the Netty wrapper is rebuilt only when the supplier returns a different instance.
 */
final class TlsContexts {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private final Supplier<SSLContext> supplier;
    private final ClientAuth clientAuth;
    private volatile SSLContext lastJdk;
    private volatile SslContext lastNetty;

    TlsContexts(Supplier<SSLContext> supplier, ClientAuthMode mode) {
        this.supplier = Objects.requireNonNull(supplier, "tls");
        this.clientAuth = mode == ClientAuthMode.REQUIRE ? ClientAuth.REQUIRE
                : mode == ClientAuthMode.OPTIONAL ? ClientAuth.OPTIONAL : ClientAuth.NONE;
    }

    SslContext current() {
        SSLContext jdk = Objects.requireNonNull(supplier.get(), "the TLS supplier returned null");
        SslContext netty = lastNetty;
        if (jdk != lastJdk || netty == null) {
            synchronized (this) {
                if (jdk != lastJdk || lastNetty == null) {
                    lastNetty = new JdkSslContext(jdk, false, null, IdentityCipherSuiteFilter.INSTANCE, null,
                            clientAuth, PROTOCOLS, false);
                    lastJdk = jdk;
                }
                netty = lastNetty;
            }
        }
        return netty;
    }
}
