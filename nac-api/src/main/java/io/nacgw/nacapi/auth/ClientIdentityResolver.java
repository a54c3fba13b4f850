package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Maps a verified TLS client certificate to a caller, typically by the role the nacgw CA wrote into it
 * ({@code certs} module: {@code Roles.of(cert)}). Called on an event loop: must not block.
 */
@FunctionalInterface
public interface ClientIdentityResolver {
    /** No certificate grants anything: HTTP Basic only. */
    ClientIdentityResolver NONE = cert -> Optional.empty();

    Optional<ApiPrincipal> resolve(X509Certificate certificate);
}
