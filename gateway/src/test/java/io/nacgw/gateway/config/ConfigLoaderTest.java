package io.nacgw.gateway.config;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ConfigLoaderTest {
    @TempDir
    Path dir;

    private NacgwConfig load(String yaml) throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, yaml);
        return new ConfigLoader().load(f, Map.of(), new Properties());
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    private static final String MINIMAL = "policy:\n  profiles:\n    wifi: {}\n";

    @Test
    void defaultConfig_loadsAndBuildsEveryProfile() {
        NacgwConfig c = new ConfigLoader().load(null, Map.of(), new Properties());
        AccessPolicy p = c.policy().toAccessPolicy();
        assertEquals("corp-wifi", p.defaultProfile().name());
        assertEquals("999", p.profile("corp-wifi").attributesFor(Verdict.QUARANTINE).vlan());
        // no fixed deny text: a jailbroken device must not be told to "enrol it" (the reason's own words are sent)
        assertEquals(null, p.profile("corp-wifi").attributesFor(Verdict.DENY).replyMessage());
        assertEquals(5_000_000, c.index().maxDevices());
        assertEquals("", c.store().url());
    }

    @Test
    void minimalConfig_takesDefaults_dataDirRelativeToFile() throws Exception {
        NacgwConfig c = load(MINIMAL);
        assertEquals(dir.resolve("data").toAbsolutePath(), c.dataDir());
        assertEquals(Duration.ofSeconds(10), c.index().negativeTtl());
        assertEquals("wifi", c.policy().defaultProfile());
        assertEquals(8, c.store().maxPoolSize());
    }

    @Test
    void unknownKey_namesTheKeyAndListsKnownOnes() {
        String m = error("store:\n  urll: x\n" + MINIMAL);
        assertTrue(m.contains("unknown key 'store.urll'"), m);
        assertTrue(m.contains("maxPoolSize"), m);
    }

    @Test
    void consoleKeys_defaultsAndValidation_nameTheKey() throws Exception {
        NacgwConfig d = load(MINIMAL);
        assertTrue(d.api().console().enabled());
        assertEquals(Duration.ofMinutes(15), d.api().console().idleTimeout());
        assertEquals(100, d.api().console().maxSessions());
        assertEquals(10_000, d.api().console().recentDecisions());
        NacgwConfig set = load("api:\n  console: {enabled: false, idleTimeout: 1h, maxSessions: 5, recentDecisions: 50}\n"
                + MINIMAL);
        assertEquals(false, set.api().console().enabled());
        assertEquals(Duration.ofHours(1), set.api().console().idleTimeout());
        assertEquals(5, set.api().console().maxSessions());
        assertEquals(50, set.api().console().recentDecisions());
        String m = error("api:\n  console: {idleTimeout: 10s}\n" + MINIMAL);
        assertTrue(m.contains("api.console.idleTimeout must be 1m to 24h"), m);
        m = error("api:\n  console: {maxSessions: 0}\n" + MINIMAL);
        assertTrue(m.contains("api.console.maxSessions"), m);
        m = error("api:\n  console: {recentDecisions: 0}\n" + MINIMAL);
        assertTrue(m.contains("api.console.recentDecisions"), m);
        m = error("api:\n  console: {idle: 5m}\n" + MINIMAL);
        assertTrue(m.contains("unknown key 'api.console.idle'"), m);
    }

    @Test
    void wrongType_andOutOfRange_nameTheKey() {
        String m = error("index:\n  maxDevices: lots\n" + MINIMAL);
        assertTrue(m.contains("index.maxDevices"), m);
        m = error("store:\n  maxPoolSize: 500\n" + MINIMAL);
        assertTrue(m.contains("store.maxPoolSize must be 1 to 64"), m);
        m = error("index:\n  negativeTtl: soon\n" + MINIMAL);
        assertTrue(m.contains("index.negativeTtl") && m.contains("not a duration"), m);
    }

    @Test
    void clusterAndChangeLogKeys_defaultsAndBadValuesNameTheKey() throws Exception {
        NacgwConfig c = load(MINIMAL);
        assertEquals("", c.cluster().nodeName());
        assertEquals(Duration.ofSeconds(5), c.cluster().leaderCheckInterval());
        assertTrue(c.cluster().settings(1812).nodeName().endsWith(":1812"));
        assertEquals(100_000, c.store().reloadBehind());
        NacgwConfig set = load("cluster: {nodeName: gw-a, leaderCheckInterval: 2s}\nstore: {reloadBehind: 5000}\n" + MINIMAL);
        assertEquals("gw-a", set.cluster().settings(1812).nodeName());
        assertEquals(5_000, set.store().changeLog().reloadBehind());
        String m = error("cluster:\n  nodeName: \"gw a\"\n" + MINIMAL);
        assertTrue(m.contains("cluster.nodeName"), m);
        m = error("cluster:\n  leaderCheckInterval: 2m\n" + MINIMAL);
        assertTrue(m.contains("cluster.leaderCheckInterval must be 100ms to 60s"), m);
        m = error("store:\n  reloadBehind: 10\n" + MINIMAL);
        assertTrue(m.contains("store.reloadBehind must be 1000 to 100000000"), m);
        m = error("cluster:\n  leader: x\n" + MINIMAL);
        assertTrue(m.contains("unknown key 'cluster.leader'"), m);
    }

    @Test
    void radiusSessionKeys_andNasIdentity_areValidatedNamingTheKey() throws Exception {
        NacgwConfig ok = load("radius:\n  acceptLifetime: 2h\n  sessionRetention: 30d\n  sessionQueue: 50\n"
                + "  clients:\n    proxy: {address: 192.0.2.1, secrets: [s3cret-1234], nasIdentity: source}\n" + MINIMAL);
        assertEquals(Duration.ofHours(2), ok.radius().settings(10).acceptLifetime());
        assertEquals(Duration.ofDays(30), ok.radius().settings(10).sessionRetention());
        assertEquals(io.nacgw.radius.NasIdentity.SOURCE,
                ok.radius().nasClients(ok.policy().toAccessPolicy()).get(0).nasIdentity());
        NacgwConfig defaults = load(MINIMAL);
        assertEquals("::", defaults.radius().settings(10).bindAddress());
        assertEquals(Duration.ZERO, defaults.radius().settings(10).acceptLifetime());
        String m = error("radius:\n  acceptLifetime: 10s\n" + MINIMAL);
        assertTrue(m.contains("radius.acceptLifetime must be 0"), m);
        m = error("radius:\n  sessionRetention: 10m\n" + MINIMAL);
        assertTrue(m.contains("radius.sessionRetention must be 1h to 365d"), m);
        m = error("radius:\n  sessionQueue: 0\n" + MINIMAL);
        assertTrue(m.contains("radius.sessionQueue"), m);
        m = error("radius:\n  clients:\n    p: {address: 192.0.2.1, secrets: [s3cret-1234], nasIdentity: proxy}\n"
                + MINIMAL);
        assertTrue(m.contains("radius.clients.p") && m.contains("nasIdentity 'proxy'"), m);
    }

    @Test
    void radiusOverloadKeys_defaultAndBadValues_nameTheKey() throws Exception {
        assertEquals(Duration.ofMillis(100), load(MINIMAL).radius().settings(10).maxQueueDelay());
        assertEquals(0, load(MINIMAL).radius().settings(10).maxRequestsPerSecond());
        NacgwConfig ok = load("radius:\n  maxQueueDelay: 250ms\n  maxRequestsPerSecond: 20000\n" + MINIMAL);
        assertEquals(Duration.ofMillis(250), ok.radius().settings(10).maxQueueDelay());
        assertEquals(20_000, ok.radius().settings(10).maxRequestsPerSecond());
        assertEquals(Duration.ZERO, load("radius:\n  maxQueueDelay: 0s\n" + MINIMAL).radius().settings(10)
                .maxQueueDelay());
        String m = error("radius:\n  maxQueueDelay: 30s\n" + MINIMAL);
        assertTrue(m.contains("radius.maxQueueDelay must be 0 (no bound) or 1ms to 10s"), m);
        m = error("radius:\n  maxRequestsPerSecond: -1\n" + MINIMAL);
        assertTrue(m.contains("radius.maxRequestsPerSecond must be 0"), m);
        assertEquals(1024, load(MINIMAL).api().settings().maxInFlightRequests());
        assertEquals(64, load("api:\n  maxInFlightRequests: 64\n" + MINIMAL).api().settings().maxInFlightRequests());
        m = error("api:\n  maxInFlightRequests: 0\n" + MINIMAL);
        assertTrue(m.contains("api.maxInFlightRequests must be 1 to 1000000"), m);
    }

    @Test
    void sharedCoaKeys_andNodeName_areValidatedNamingTheKey() throws Exception {
        NacgwConfig ok = load("cluster: {nodeName: gw-1.example}\nradius:\n  coa:\n    shared: {heartbeatInterval: 500ms, "
                + "nodeTimeout: 3s, ownerGrace: 0s, claimRetention: 2h}\n" + MINIMAL);
        assertEquals("gw-1.example", ok.cluster().settings(1812).nodeName());
        assertEquals(new io.nacgw.radius.coa.SharedCoaSettings(Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ZERO, Duration.ofHours(2)), ok.radius().coa().shared().settings());
        NacgwConfig defaults = load(MINIMAL);
        assertEquals(io.nacgw.radius.coa.SharedCoaSettings.DEFAULTS, defaults.radius().coa().shared().settings());
        String m = error("radius:\n  coa:\n    shared: {heartbeatInterval: 2s, nodeTimeout: 3s}\n" + MINIMAL);
        assertTrue(m.contains("radius.coa.shared.nodeTimeout"), m);
        m = error("radius:\n  coa:\n    shared: {ownerGrace: 2m}\n" + MINIMAL);
        assertTrue(m.contains("radius.coa.shared.ownerGrace"), m);
        m = error("radius:\n  coa:\n    shared: {owner: x}\n" + MINIMAL);
        assertTrue(m.contains("owner"), m);
        m = error("radius:\n  coa: {maxAttempts: 11}\n" + MINIMAL);
        assertTrue(m.contains("radius.coa.maxAttempts"), m);
    }

    @Test
    void radsecKeys_defaultsAndBadValues_nameTheKey() throws Exception {
        NacgwConfig defaults = load(MINIMAL);
        var d = defaults.radius().radsec().settings(defaults.radius().bindAddress());
        assertEquals(false, d.enabled());
        assertEquals(2083, d.port());
        assertEquals(128, d.maxInFlightPerConnection());
        assertEquals(2048, d.maxInFlight());
        NacgwConfig on = load("radius:\n  bindAddress: 127.0.0.1\n  radsec:\n    enabled: true\n    idleTimeout: 2m\n"
                + "    handshakeTimeout: 3s\n    maxConnections: 10\n    trustedCaFiles: [nas-ca.pem]\n"
                + "    maxInFlightPerConnection: 16\n    maxInFlight: 100\n" + MINIMAL);
        var s = on.radius().radsec().settings(on.radius().bindAddress());
        assertEquals("127.0.0.1", s.bindAddress(), "the RADIUS bind address by default");
        assertEquals(Duration.ofMinutes(2), s.idleTimeout());
        assertEquals(Duration.ofSeconds(3), s.handshakeTimeout());
        assertEquals(10, s.maxConnections());
        assertEquals(16, s.maxInFlightPerConnection());
        assertEquals(100, s.maxInFlight());
        assertEquals(List.of(Path.of("nas-ca.pem")), on.radius().radsec().trustedCaFiles());
        String m = error("radius:\n  radsec:\n    enabled: true\n    prot: 2083\n" + MINIMAL);
        assertTrue(m.contains("unknown key 'radius.radsec.prot'"), m);
        m = error("radius:\n  radsec:\n    port: 99999\n" + MINIMAL);
        assertTrue(m.contains("radius.radsec.port must be 0-65535"), m);
        m = error("radius:\n  radsec:\n    maxConnections: 0\n" + MINIMAL);
        assertTrue(m.contains("radius.radsec.maxConnections"), m);
        m = error("radius:\n  radsec:\n    maxInFlightPerConnection: 300\n" + MINIMAL);
        assertTrue(m.contains("radius.radsec.maxInFlightPerConnection must be 1-256"), m);
        m = error("radius:\n  radsec:\n    maxInFlight: 10\n" + MINIMAL);
        assertTrue(m.contains("radius.radsec.maxInFlight must be"), m);
        m = error("radius:\n  radsec:\n    bindAddress: nacgw.example.org\n" + MINIMAL);
        assertTrue(m.contains("radius.radsec.bindAddress must be an IP address"), m);
        m = error("radius:\n  clients:\n    a: {address: 192.0.2.1, secrets: [s3cret-1234], certificateName: sw}\n"
                + "    b: {address: 192.0.2.2, secrets: [s3cret-1234], certificateName: sw}\n" + MINIMAL);
        assertTrue(m.contains("both use the certificate name 'sw'"), m);
    }

    @Test
    void contradictions_inProfiles_stopStart() {
        String m = error("policy:\n  profiles:\n    wifi:\n      noncompliant: quarantine\n");
        assertTrue(m.contains("policy.profiles.wifi.quarantine"), m);
        m = error("policy:\n  defaultProfile: guest\n  profiles:\n    wifi: {}\n");
        assertTrue(m.contains("policy.defaultProfile 'guest'"), m);
        m = error("policy:\n  profiles:\n    wifi:\n      maxThreatLevel: extreme\n");
        assertTrue(m.contains("policy.profiles.wifi.maxThreatLevel"), m);
        m = error("policy:\n  profiles:\n    wifi:\n      unknownDevice: allow\n");
        assertTrue(m.contains("policy.profiles.wifi.unknownDevice must be deny or quarantine"), m);
    }

    @Test
    void missingPolicy_andBadYaml_areClearErrors() {
        assertTrue(error("store: {}\n").contains("policy"));
        String m = error("policy: [unclosed\n");
        assertTrue(m.contains("not valid YAML"), m);
    }

    @Test
    void envAndSystemProperties_override_inThatOrder() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "index:\n  maxDevices: 10\n" + MINIMAL);
        Properties props = new Properties();
        props.setProperty("nacgw.store.maxPoolSize", "3");
        props.setProperty("nacgw.index.maxDevices", "30");
        NacgwConfig c = new ConfigLoader().load(f, Map.of("NACGW_INDEX_MAXDEVICES", "20", "NACGW_STORE_MAXPOOLSIZE", "5"), props);
        assertEquals(30, c.index().maxDevices());
        assertEquals(3, c.store().maxPoolSize());
        NacgwConfig envOnly = new ConfigLoader().load(f, Map.of("NACGW_INDEX_MAXDEVICES", "20"), new Properties());
        assertEquals(20, envOnly.index().maxDevices());
        Properties bad = new Properties();
        bad.setProperty("nacgw.index.maxDevicez", "1");
        assertTrue(assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), bad))
                .getMessage().contains("index.maxDevicez"));
    }

    @Test
    void duplicateKey_inOneSection_isAnError() {
        String m = error(MINIMAL + "radius:\n  clients:\n    localhost:\n      cidr: 127.0.0.1/32\n"
                + "    localhost:\n      cidr: 10.0.0.0/8\n");
        assertTrue(m.contains("'localhost'") && m.contains("appears twice"), m);
        m = error("store:\n  maxPoolSize: 2\n  maxPoolSize: 3\n" + MINIMAL);
        assertTrue(m.contains("'maxPoolSize'") && m.contains("line 3"), m);
    }

    @Test
    void badOverride_namesTheVariableOrProperty_notTheFile() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, MINIMAL);
        String m = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f,
                Map.of("NACGW_INDEX_MAXDEVICES", "lots"), new Properties())).getMessage();
        assertTrue(m.startsWith("environment variable NACGW_INDEX_MAXDEVICES:") && m.contains("index.maxDevices"), m);
        m = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f,
                Map.of("NACGW_STORE_MAXPOOLSIZE", "500"), new Properties())).getMessage();
        assertTrue(m.startsWith("environment variable NACGW_STORE_MAXPOOLSIZE:"), m);
        Properties props = new Properties();
        props.setProperty("nacgw.store.maxPoolSize", "0");
        m = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), props)).getMessage();
        assertTrue(m.startsWith("system property -Dnacgw.store.maxPoolSize:"), m);
        // an error in the file itself still names the file
        Files.writeString(f, "store:\n  maxPoolSize: 500\n" + MINIMAL);
        m = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), new Properties())).getMessage();
        assertTrue(m.startsWith(f.toString()), m);
    }

    @Test
    void durations_parseHumanAndIsoForms() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("PT90S"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("ten seconds"));
    }

    @Test
    void storePassword_readFromFile_neverInToString() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        NacgwConfig c = load("store:\n  url: jdbc:postgresql://db/nacgw\n  user: nacgw\n  passwordFile: " + pw + "\n" + MINIMAL);
        var s = c.store().settings(c.dataDir());
        assertEquals("s3cret", s.password());
        assertTrue(!s.toString().contains("s3cret"));
        NacgwConfig missing = load("store:\n  url: jdbc:postgresql://db/nacgw\n  passwordFile: /nonexistent/pw\n" + MINIMAL);
        assertTrue(assertThrows(ConfigException.class, () -> missing.store().settings(missing.dataDir()))
                .getMessage().contains("store.passwordFile"));
    }

    @Test
    void sync_disabledByDefault_enabledNeedsItsKeysAndSecret() throws Exception {
        assertTrue(!load(MINIMAL).sync().enabled());
        assertTrue(error("sync:\n  enabled: true\n" + MINIMAL).contains("sync.tokenUrl is required"));
        String m = error("sync:\n  enabled: true\n  tokenUrl: https://login.example.com/t/oauth2/v2.0/token\n  clientId: abc\n"
                + "  clientSecretEnv: NACGW_TEST_NO_SUCH_VAR\n" + MINIMAL);
        assertTrue(m.contains("NACGW_TEST_NO_SUCH_VAR"), m);
        Path secret = dir.resolve("graph-secret");
        Files.writeString(secret, "very-secret\n");
        NacgwConfig c = load("sync:\n  enabled: true\n  tokenUrl: https://login.example.com/t/oauth2/v2.0/token\n  clientId: abc\n"
                + "  clientSecretFile: " + secret + "\n  pageSize: 500\n  fullInterval: 2h\n" + MINIMAL);
        assertEquals(500, c.sync().settings().pageSize());
        assertTrue(!c.sync().settings().toString().contains("very-secret"));
        m = error("sync:\n  enabled: true\n  tokenUrl: https://login.example.com/t\n  clientId: abc\n  clientSecretFile: "
                + secret + "\n  pageSize: 5000\n" + MINIMAL);
        assertTrue(m.contains("sync.pageSize"), m);
    }

    @Test
    void radiusEap_offByDefault_keysValidatedAndFilesResolvedAgainstTheDataDir() throws Exception {
        NacgwConfig c = load(MINIMAL);
        var off = c.radius().eap().settings(c.dataDir(), Path.of("/pki/server.pem"), Path.of("/pki/server.key"));
        assertTrue(!off.enabled() && !off.tlsEnabled());
        assertEquals(100_000, off.maxConversations());
        assertEquals(Duration.ofSeconds(30), off.conversationTimeout());

        c = load("radius:\n  eap:\n    enabled: true\n    maxConversations: 5000\n    conversationTimeout: 20s\n"
                + "    tls:\n      trustedCaFiles: [intune-ca.pem]\n      crlUrls: [http://pki.example.com/ca.crl]\n"
                + "      fragmentSize: 1200\n      minVersion: '1.3'\n" + MINIMAL);
        var on = c.radius().eap().settings(c.dataDir(), Path.of("/pki/server.pem"), Path.of("/pki/server.key"));
        assertTrue(on.tlsEnabled());
        assertEquals(c.dataDir().resolve("intune-ca.pem"), on.trustedCaFiles().get(0));
        assertEquals(Path.of("/pki/server.pem"), on.serverCertificate());
        assertEquals(1200, on.fragmentSize());
        assertEquals("1.3", on.minVersion());
        assertEquals(5000, on.maxConversations());

        assertTrue(on.sessionTickets(), "radius.eap.tls.sessionTickets is on by default");
        assertTrue(on.ticketKeyFile() == null, "no key file: a random key per process");
        c = load("radius:\n  eap:\n    tls:\n      sessionTickets: false\n      ticketKeyFile: keys/ticket.key\n"
                + MINIMAL);
        var tickets = c.radius().eap().settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key"));
        assertTrue(!tickets.sessionTickets());
        assertEquals(c.dataDir().resolve("keys/ticket.key"), tickets.ticketKeyFile());
        String t = error("radius:\n  eap:\n    tls:\n      sessionTickets: maybe\n" + MINIMAL);
        assertTrue(t.contains("radius.eap.tls.sessionTickets"), t);

        String m = error("radius:\n  eap:\n    tls:\n      minVersion: '1.1'\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.minVersion must be 1.2 or 1.3"), m);
        m = error("radius:\n  eap:\n    tls:\n      fragmentSize: 50\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.fragmentSize"), m);
        m = error("radius:\n  eap:\n    tls:\n      crlUrls: [ftp://x/y.crl]\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.crlUrls"), m);
        m = error("radius:\n  eap:\n    conversationTimeout: 1h\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.conversationTimeout"), m);
        m = error("radius:\n  eap:\n    tls:\n      serverKey: k.pem\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.serverCertificate and radius.eap.tls.serverKey"), m);
        m = error("radius:\n  eap:\n    tls:\n      deviceIdSources: [intune-uri, serial]\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.deviceIdSources") && m.contains("calling-station-id"), m);
        c = load("radius:\n  eap:\n    tls:\n      deviceIdSources: [calling-station-id, intune-uri]\n" + MINIMAL);
        assertEquals(java.util.List.of(io.nacgw.radius.eap.DeviceIdSource.CALLING_STATION_ID,
                io.nacgw.radius.eap.DeviceIdSource.INTUNE_URI), c.radius().eap()
                .settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).deviceIdSources());
        c = load("radius:\n  eap:\n    tls:\n      deviceIdSources:\n        - 'dns-san matching ^([^.]+)\\. as serial'\n"
                + "        - uri-san:IntuneDeviceId:// as intune-id\n" + MINIMAL);
        assertEquals(java.util.List.of("dns-san matching ^([^.]+)\\. as serial", "uri-san:IntuneDeviceId:// as intune-id"),
                c.radius().eap().settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).deviceIdSources().stream()
                        .map(io.nacgw.radius.eap.DeviceIdSource::configName).toList());
        m = error("radius:\n  eap:\n    tls:\n      deviceIdSources: [dns-san]\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.deviceIdSources") && m.contains("needs 'as KIND'"), m);
        m = error("radius:\n  eap:\n    tls:\n      ocsp: true\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.ocsp"), m);
        c = load("radius:\n  eap:\n    tls:\n      ocsp: prefer\n      ocspUrl: http://ocsp.contoso.test/\n"
                + "      ocspTimeout: 2s\n      ocspNonce: true\n      ocspCacheSize: 50\n" + MINIMAL);
        io.nacgw.radius.eap.OcspSettings o = c.radius().eap().settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).ocsp();
        assertEquals(new io.nacgw.radius.eap.OcspSettings(io.nacgw.radius.eap.OcspSettings.Mode.PREFER,
                java.net.URI.create("http://ocsp.contoso.test/"), java.time.Duration.ofSeconds(2), true, 50), o);
        c = load("radius:\n  eap:\n    tls:\n      ocsp: off\n" + MINIMAL);
        assertEquals(io.nacgw.radius.eap.OcspSettings.OFF,
                c.radius().eap().settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).ocsp(), "unquoted off");
        m = error("radius:\n  eap:\n    tls:\n      ocsp: require\n      ocspUrl: https://ocsp.contoso.test/\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.ocspUrl"), m);
        m = error("radius:\n  eap:\n    tls:\n      ocsp: sometimes\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.ocsp must be off, prefer or require"), m);
    }

    @Test
    void eapTlsWarmup_defaultsToTenSeconds_zeroTurnsItOff_andOutOfRangeNamesTheKey() throws Exception {
        NacgwConfig c = load(MINIMAL);
        assertEquals(java.time.Duration.ofSeconds(10), c.radius().eap()
                .settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).tlsWarmup());
        c = load("radius:\n  eap:\n    tls:\n      warmup: 0s\n" + MINIMAL);
        assertEquals(java.time.Duration.ZERO, c.radius().eap()
                .settings(c.dataDir(), Path.of("/s.pem"), Path.of("/s.key")).tlsWarmup());
        String m = error("radius:\n  eap:\n    tls:\n      warmup: 2m\n" + MINIMAL);
        assertTrue(m.contains("radius.eap.tls.warmup must be 0s (none) to 60s"), m);
    }

    @Test
    void auditRotateAndLoggingLevels_areValidatedNamingTheKey() throws Exception {
        NacgwConfig c = load("audit:\n  rotate: {maxMegabytes: 100, interval: 1d, keep: 30}\n"
                + "logging:\n  levels: {io.nacgw.radius: DEBUG, root: warn}\n" + MINIMAL);
        assertEquals(100L << 20, c.audit().rotate().rotation().maxBytes());
        assertEquals(java.time.Duration.ofDays(1), c.audit().rotate().rotation().interval());
        assertEquals(30, c.audit().rotate().rotation().keep());
        assertEquals(Map.of("io.nacgw.radius", "debug", "root", "warn"), c.logging().levels());
        assertTrue(!load(MINIMAL).audit().rotate().rotation().enabled(), "off by default");
        assertEquals(10, load(MINIMAL).audit().rotate().keep());
        assertTrue(error("audit:\n  rotate: {keep: 0}\n" + MINIMAL).contains("audit.rotate.keep"));
        assertTrue(error("audit:\n  rotate: {interval: 10s}\n" + MINIMAL).contains("audit.rotate.interval"));
        assertTrue(error("audit:\n  rotate: {maxMegabytes: 0}\n" + MINIMAL).contains("audit.rotate.maxMegabytes"));
        assertTrue(error("audit:\n  rotate: {maxSize: 5}\n" + MINIMAL).contains("audit.rotate.maxSize"));
        assertTrue(error("logging:\n  levels: {io.nacgw: loud}\n" + MINIMAL).contains("logging.levels.io.nacgw"));
    }
}
