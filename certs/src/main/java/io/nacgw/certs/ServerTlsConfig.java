package io.nacgw.certs;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The files and policy of a server TLS context. {@code nacgwCa} is the CA whose certificates may carry a
 * {@link Role}; {@code extraTrustedCas} (PEM bundles, e.g. an MDM's SCEP CA) are trusted for client
 * authentication but may not grant roles. Each CRL file must be signed by one of the trusted CAs.
 * {@code requiredRoles} empty means any verified certificate is accepted; otherwise its role must be in the set.
 * {@code clock} is "now" for certificate validity.
 */
public record ServerTlsConfig(Path certificateChain, Path privateKey, Path nacgwCa, List<Path> extraTrustedCas,
        List<Path> crls, ClientAuth clientAuth, Set<Role> requiredRoles, Clock clock) {

    public ServerTlsConfig {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(nacgwCa, "nacgwCa");
        extraTrustedCas = List.copyOf(extraTrustedCas);
        crls = List.copyOf(crls);
        Objects.requireNonNull(clientAuth, "clientAuth");
        requiredRoles = requiredRoles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requiredRoles));
        Objects.requireNonNull(clock, "clock");
    }

    /** The server files of a nacgw {@code pki/} folder: server.pem, server.key, ca.pem and crl.pem. */
    public static ServerTlsConfig fromPki(PkiLayout pki, ClientAuth clientAuth) {
        return new ServerTlsConfig(pki.serverCertificate(), pki.serverKey(), pki.caCertificate(), List.of(),
                List.of(pki.crl()), clientAuth, Set.of(), Clock.systemUTC());
    }

    /** Also trusts the CA certificates in {@code caFile} (not for roles). */
    public ServerTlsConfig withExtraTrustedCa(Path caFile) {
        List<Path> cas = new ArrayList<>(extraTrustedCas);
        cas.add(Objects.requireNonNull(caFile, "caFile"));
        return new ServerTlsConfig(certificateChain, privateKey, nacgwCa, cas, crls, clientAuth, requiredRoles, clock);
    }

    /** Also checks revocation against the CRL in {@code crlFile} (e.g. the MDM CA's). */
    public ServerTlsConfig withCrl(Path crlFile) {
        List<Path> c = new ArrayList<>(crls);
        c.add(Objects.requireNonNull(crlFile, "crlFile"));
        return new ServerTlsConfig(certificateChain, privateKey, nacgwCa, extraTrustedCas, c, clientAuth, requiredRoles,
                clock);
    }

    /** Accepts only client certificates carrying one of {@code roles}; none: any verified certificate. */
    public ServerTlsConfig withRequiredRoles(Set<Role> roles) {
        return new ServerTlsConfig(certificateChain, privateKey, nacgwCa, extraTrustedCas, crls, clientAuth, roles,
                clock);
    }

    public ServerTlsConfig withClientAuth(ClientAuth mode) {
        return new ServerTlsConfig(certificateChain, privateKey, nacgwCa, extraTrustedCas, crls, mode, requiredRoles,
                clock);
    }

    public ServerTlsConfig withClock(Clock c) {
        return new ServerTlsConfig(certificateChain, privateKey, nacgwCa, extraTrustedCas, crls, clientAuth,
                requiredRoles, c);
    }

    /** Every file the context is built from, which a reload watches. */
    public List<Path> files() {
        LinkedHashSet<Path> all = new LinkedHashSet<>();
        all.add(certificateChain);
        all.add(privateKey);
        all.add(nacgwCa);
        all.addAll(extraTrustedCas);
        all.addAll(crls);
        return List.copyOf(all);
    }
}
