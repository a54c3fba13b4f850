package io.nacgw.certs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** What {@link CertificateAuthority#init} or {@link CertificateAuthority#renewServer} created, and where. */
public record InitResult(X509Certificate caCertificate, X509Certificate serverCertificate, IssuedCert server,
        List<Written> written) {
    public InitResult {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(serverCertificate, "serverCertificate");
        Objects.requireNonNull(server, "server");
        written = List.copyOf(written);
    }
}
