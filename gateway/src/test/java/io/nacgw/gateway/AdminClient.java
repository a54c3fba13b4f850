package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.certs.TlsContexts;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A JDK HTTPS client with a freshly issued admin client certificate of the gateway's CA in {@code pki}. */
final class AdminClient {
    private AdminClient() {
    }

    static HttpClient create(Path pki, String name) {
        CertificateAuthority ca = CertificateAuthority.open(pki);
        IssuedClient admin = ca.issueClient(name, Role.ADMIN, 30, (name + "-pass").toCharArray());
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(List.of(ca.layout().caCertificate()), admin.chainFile(), admin.keyFile()).sslContext())
                .connectTimeout(Duration.ofSeconds(60)).build();
    }
}
