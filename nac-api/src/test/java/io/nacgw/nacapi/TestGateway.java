package io.nacgw.nacapi;

import io.nacgw.nacapi.console.ConsoleServices;
import io.nacgw.nacapi.auth.ApiUser;
import io.nacgw.nacapi.auth.AuthSettings;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.nacapi.server.ApiServer;
import io.nacgw.nacapi.server.ApiSettings;
import io.nacgw.core.testing.TestStores;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.ClientAuth;
import io.nacgw.certs.ClientTls;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ReloadingTlsContext;
import io.nacgw.certs.Role;
import io.nacgw.certs.Roles;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.ServerTlsConfig;
import io.nacgw.certs.TlsContexts;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Platform;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A running API over real parts for end-to-end tests: a nacgw CA with partner, admin, role-less and revoked
 * client certificates, a temp-file SQLite store behind the compliance index, and the HTTPS server on 127.0.0.1:0.
 */
public final class TestGateway implements AutoCloseable {
    static final String PARTNER_PASSWORD = "partner secret 1";
    static final String ADMIN_PASSWORD = "admin secret 2";
    public static final String REDIRECT = "https://portal.example.com/enrol";
    private static final char[] P12 = "p12".toCharArray();

    final Path dir;
    final CertificateAuthority ca;
    public final IssuedClient partnerCert;
    final IssuedClient adminCert;
    final IssuedClient revokedCert;
    final ComplianceStore store;
    /** The service the server uses (possibly wrapped by a test). */
    final ComplianceService service;
    public final AccessPolicy policy;
    final ApiServer server;
    public final ReloadingTlsContext tls;

    TestGateway(UnaryOperator<ApiSettings> settings, IseSettings ise) throws Exception {
        this(settings, ise, null);
    }

    TestGateway(UnaryOperator<ApiSettings> settings, IseSettings ise, UnaryOperator<ComplianceService> wrap) throws Exception {
        this(settings, ise, wrap, ConsoleServices.none());
    }

    /** With the operator console and the admin operations given. */
    static TestGateway withConsole(ConsoleServices console) throws Exception {
        return new TestGateway(s -> s, IseSettings.defaults(REDIRECT), null, console);
    }

    TestGateway(UnaryOperator<ApiSettings> settings, IseSettings ise, UnaryOperator<ComplianceService> wrap,
                ConsoleServices console) throws Exception {
        dir = Files.createTempDirectory("nacgw-api-test");
        ca = CertificateAuthority.open(dir.resolve("pki"));
        ca.init(ServerNames.of(List.of("localhost", "127.0.0.1")), KeyType.ECDSA_P256, false);
        partnerCert = ca.issueClient("ise-1", Role.PARTNER, 2, P12);
        adminCert = ca.issueClient("ops-1", Role.ADMIN, 2, P12);
        revokedCert = ca.issueClient("stolen-1", Role.ADMIN, 2, P12);
        ca.revokeByName("stolen-1");
        tls = ReloadingTlsContext.create(ServerTlsConfig.fromPki(ca.layout(), ClientAuth.OPTIONAL));
        store = ComplianceStore.open(TestStores.fresh(4));
        ComplianceService real = ComplianceService.start(store, IndexSettings.DEFAULTS);
        service = wrap == null ? real : wrap.apply(real);
        policy = AccessPolicy.of(List.of(
                Profile.builder("corp").remediationUrl("https://portal.example.com/fix").build(),
                Profile.builder("lab").noPolicyMeansCompliant(true).maxDaysSinceCheckIn(0).build()), "corp");
        AuthSettings auth = AuthSettings.of(List.of(
                new ApiUser("ise", PasswordHash.create(PARTNER_PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS),
                        ApiRole.PARTNER, null),
                new ApiUser("ops", PasswordHash.create(ADMIN_PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS),
                        ApiRole.ADMIN, null)),
                TestGateway::principal);
        ApiSettings base = ApiSettings.defaults().withAddress("127.0.0.1", 0);
        // the shared build machine can take seconds for a handshake; the 5 s default is for production
        base = base.withAbuseLimits(base.minBodyRate(), base.maxConnections(), base.maxConnectionsPerAddress(),
                Duration.ofSeconds(60));
        server = ApiServer.start(settings.apply(base), ise, auth,
                tls::newEngine, service, policy, null, null, console, Clock.systemUTC());
        tls.onReload(() -> server.closeUntrustedConnections(tls::stillTrusts)); // as the gateway wires it
    }

    public static TestGateway start() throws Exception {
        return new TestGateway(s -> s, IseSettings.defaults(REDIRECT));
    }

    /** The gateway's mapping: the certs module's role, the certificate CN as the name. */
    static Optional<ApiPrincipal> principal(java.security.cert.X509Certificate cert) {
        return Roles.of(cert).map(r -> new ApiPrincipal(cn(cert), r == Role.ADMIN ? ApiRole.ADMIN : ApiRole.PARTNER, null));
    }

    private static String cn(java.security.cert.X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "?";
        }
        return "?";
    }

    public int port() {
        return server.address().getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + port() + pathAndQuery);
    }

    Path caFile() {
        return ca.layout().caCertificate();
    }

    public ClientTls clientTls(IssuedClient cert) {
        return cert == null ? TlsContexts.client(List.of(caFile()))
                : TlsContexts.client(List.of(caFile()), cert.chainFile(), cert.keyFile());
    }

    HttpClient client(IssuedClient cert) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(clientTls(cert).sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(HttpClient c, String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpClient c, String method, String pathAndQuery, String contentType, String body,
                              String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A managed device checked in an hour ago, with the given compliance and MACs. */
    public static DeviceRecord device(UUID id, ComplianceState state, String... macs) {
        DeviceRecord.Builder b = DeviceRecord.builder().deviceId(DeviceGuid.intune(id.toString()))
                .deviceName("dev-" + id.toString().substring(0, 8)).userPrincipalName("alice@example.com")
                .platform(Platform.IOS).osVersion("17.2").model("iPhone 15").manufacturer("Apple")
                .managementState(ManagementState.MANAGED).complianceState(state).encrypted(true)
                .lastCheckIn(Instant.now().minusSeconds(3600)).lastModified(Instant.now().minusSeconds(60));
        for (String m : macs) {
            b.addMac(MacAddress.parse(m));
        }
        return b.build();
    }

    @Override
    public void close() throws java.io.IOException {
        server.close();
        service.close();
        store.close();
        tls.close();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
