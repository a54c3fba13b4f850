package io.nacgw.gateway.config;

import io.nacgw.radius.proxy.PoolSettings;
import io.nacgw.radius.proxy.ProxySettings;
import io.nacgw.radius.proxy.UpstreamSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code radius.upstreams} and {@code authenticateWith}: defaults, every key, and a message naming each bad key. */
final class UpstreamsConfigTest {
    @TempDir
    Path dir;

    private static final String POOL = """
            radius:
              upstreams:
                nps:
                  servers:
                    nps1: {address: 192.0.2.10, secret: nps-secret-1}
                    nps2: {address: "2001:db8::10", authPort: 11812, acctPort: 11813, secret: nps-secret-2,
                           responseTimeout: 1s, maxAttempts: 3, requireMessageAuthenticator: false}
            """;

    private NacgwConfig load(String yaml) throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, yaml);
        return new ConfigLoader().load(f, Map.of(), new Properties());
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void pool_takesDefaults_andEveryKey() throws Exception {
        NacgwConfig c = load(POOL + """
                  clients:
                    vpn: {address: 192.0.2.1, secrets: [s3cret-1234], authenticateWith: nps}
                policy:
                  profiles:
                    wifi: {}
                    vpn-users: {authenticateWith: nps}
                """);
        ProxySettings s = c.radius().proxySettings(c.policy());
        PoolSettings p = s.pools().get("nps");
        assertEquals(PoolSettings.Balance.FAILOVER, p.balance());
        assertEquals(Duration.ofSeconds(8), p.timeout());
        assertTrue(p.statusChecks());
        assertEquals(Duration.ofSeconds(10), p.checkInterval());
        assertFalse(p.copyAccounting());
        UpstreamSettings one = p.servers().get(0);
        assertEquals(1812, one.authPort());
        assertEquals(1813, one.acctPort());
        assertEquals(Duration.ofSeconds(2), one.responseTimeout());
        assertEquals(2, one.maxAttempts());
        assertTrue(one.requireMessageAuthenticator());
        assertFalse(one.toString().contains("nps-secret"), one.toString());
        UpstreamSettings two = p.servers().get(1);
        assertEquals(11812, two.authPort());
        assertEquals(11813, two.acctPort());
        assertEquals(3, two.maxAttempts());
        assertFalse(two.requireMessageAuthenticator());
        assertEquals(Map.of("vpn-users", "nps"), s.profileUpstreams());
        assertEquals("nps", c.radius().nasClients(c.policy().toAccessPolicy()).get(0).authenticateWith());
    }

    @Test
    void poolKeys_roundRobinAndChecks() throws Exception {
        NacgwConfig c = load("""
                radius:
                  upstreams:
                    mfa:
                      balance: round-robin
                      timeout: 5s
                      statusChecks: false
                      checkInterval: 30s
                      deadAfter: 5
                      reviveAfter: 2
                      copyAccounting: true
                      servers:
                        a: {address: 127.0.0.1, secret: s1}
                policy:
                  profiles:
                    wifi: {}
                """);
        PoolSettings p = c.radius().proxySettings(c.policy()).pools().get("mfa");
        assertEquals(PoolSettings.Balance.ROUND_ROBIN, p.balance());
        assertEquals(Duration.ofSeconds(5), p.timeout());
        assertFalse(p.statusChecks());
        assertEquals(5, p.deadAfter());
        assertEquals(2, p.reviveAfter());
        assertTrue(p.copyAccounting());
    }

    @Test
    void radsecUpstream_takesItsTlsFiles_port2083_andTheSecretRadsec() throws Exception {
        io.nacgw.certs.CertificateAuthority ca = io.nacgw.certs.CertificateAuthority.open(dir.resolve("pki"));
        ca.init(io.nacgw.certs.ServerNames.defaults(), io.nacgw.certs.KeyType.ECDSA_P256, false);
        io.nacgw.certs.IssuedClient me = ca.issueClient("nacgw", io.nacgw.certs.Role.NAS, 30, "p".toCharArray());
        String files = "certificateFile: " + me.chainFile() + ", keyFile: " + me.keyFile() + ", caFiles: ["
                + ca.layout().caCertificate() + "]";
        NacgwConfig c = load("radius:\n  upstreams:\n    home:\n      servers:\n        t: {address: 192.0.2.20, "
                + "transport: radsec, " + files + "}\npolicy:\n  profiles:\n    wifi: {}\n");
        UpstreamSettings t = c.radius().proxySettings(c.policy()).pools().get("home").servers().get(0);
        assertEquals(UpstreamSettings.Transport.RADSEC, t.transport());
        assertEquals(2083, t.authPort());
        assertEquals(io.nacgw.radius.NasClient.sharedSecret("radsec"), t.secret());
        assertTrue(t.tls() != null);
        String m = error("radius:\n  upstreams:\n    home:\n      servers:\n        t: {address: 192.0.2.20, secret: s, "
                + files + "}\npolicy:\n  profiles:\n    wifi: {}\n");
        assertTrue(m.contains("radius.upstreams.home.servers.t.certificateFile, keyFile and caFiles are for transport "
                + "radsec only"), m);
        m = error("radius:\n  upstreams:\n    home:\n      servers:\n        t: {address: 192.0.2.20, transport: radsec, "
                + "certificateFile: /nonexistent.pem, keyFile: /nonexistent.key, caFiles: [/nonexistent-ca.pem]}\n"
                + "policy:\n  profiles:\n    wifi: {}\n");
        assertTrue(m.contains("radius.upstreams.home.servers.t: cannot read the TLS files"), m);
    }

    @Test
    void badValues_nameTheKey() {
        String profiles = "policy:\n  profiles:\n    wifi: {}\n";
        String m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: nps.example.com, secret: s}\n"
                + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.address") && m.contains("not an IPv4 or IPv6"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.secret is required"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1, "
                + "transport: radsec}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.certificateFile, keyFile and caFiles are required"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1, secret: s, "
                + "transport: radsec}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.secret of a radsec upstream is always 'radsec'"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1, secret: s, "
                + "transport: dtls}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.transport must be udp or radsec"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1, secret: s, "
                + "maxAttempts: 9}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers.a.maxAttempts must be 1 to 5"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      balance: random\n      servers:\n        a: {address: 192.0.2.1, "
                + "secret: s}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.balance must be failover or round-robin"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      timeout: 30s\n      servers:\n        a: {address: 192.0.2.1, "
                + "secret: s}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.timeout") && m.contains("radius.duplicateTtl"), m);
        m = error("radius:\n  upstreams:\n    nps: {}\n" + profiles);
        assertTrue(m.contains("radius.upstreams.nps.servers must list at least one upstream"), m);
        m = error("radius:\n  upstreams:\n    nps:\n      servers:\n        a: {address: 192.0.2.1, secret: s, port: 1}\n"
                + profiles);
        assertTrue(m.contains("unknown key 'radius.upstreams.nps.servers.a.port'"), m);
    }

    @Test
    void authenticateWith_unknownPool_namesTheKey() {
        String m = error(POOL + "  clients:\n    vpn: {address: 192.0.2.1, secrets: [s3cret-1234], authenticateWith: mfa}\n"
                + "policy:\n  profiles:\n    wifi: {}\n");
        assertTrue(m.contains("radius.clients.vpn.authenticateWith 'mfa' is not a pool in radius.upstreams"), m);
        m = error(POOL + "policy:\n  profiles:\n    wifi: {authenticateWith: mfa}\n");
        assertTrue(m.contains("policy.profiles.wifi.authenticateWith 'mfa' is not a pool in radius.upstreams"), m);
    }
}
