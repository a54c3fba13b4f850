package io.nacgw.gateway;

import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class GatewayTest {
    @TempDir
    Path dir;

    private NacgwConfig config() {
        return config(new Properties());
    }

    private NacgwConfig config(Properties extra) {
        Properties p = new Properties();
        p.setProperty("nacgw.radius.authPort", "0"); // never the real 1812: a FreeRADIUS may be running
        p.setProperty("nacgw.radius.acctPort", "0");
        p.setProperty("nacgw.radius.bindAddress", "127.0.0.1");
        p.setProperty("nacgw.api.host", "127.0.0.1");
        p.setProperty("nacgw.api.port", "0");
        p.setProperty("nacgw.metrics.port", "0");
        p.putAll(extra);
        return new ConfigLoader().load(null, Map.of(), p).withDataDir(dir);
    }

    @Test
    void start_writeThenRestart_devicesSurviveAndMetricsShowThem() {
        Clock clock = Clock.fixed(TestDevices.NOW, ZoneOffset.UTC);
        try (Gateway g = Gateway.start(config(), clock)) {
            g.compliance().upsert(TestDevices.compliant(1).build());
            String scrape = g.metrics().scrape();
            assertTrue(scrape.contains("nacgw_index_devices 1.0"), scrape);
            assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics bound");
            assertTrue(g.sync().isEmpty(), "sync is off by default");
        }
        try (Gateway g = Gateway.start(config(), clock)) {
            assertEquals(1, g.compliance().residentCount());
            g.compliance().lookup(TestDevices.mac(1)).join();
            assertTrue(g.metrics().scrape().contains("nacgw_index_lookups_hit_total 1.0"), g.metrics().scrape());
        }
    }

    /** Ready means the whole index: the last device stored answers from memory the moment start returns. */
    @Test
    void start_withDevicesInTheStore_everyOneIsInMemoryWhenReady() {
        int n = 20_000;
        try (io.nacgw.core.store.ComplianceStore store = io.nacgw.core.store.ComplianceStore.open(
                config().store().settings(dir))) {
            java.util.List<io.nacgw.core.device.DeviceRecord> all = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(TestDevices.compliant(i).build());
            }
            store.upsertAll(all);
        }
        try (Gateway g = Gateway.start(config(), Clock.systemUTC())) {
            assertEquals(n, g.compliance().residentCount());
            assertTrue(g.compliance().complete());
            assertEquals(TestDevices.id(n - 1), g.compliance().findResident(TestDevices.mac(n - 1)).deviceId(), "the last one");
            for (int i = 0; i < n; i++) {
                assertEquals(TestDevices.id(i), g.compliance().findResident(TestDevices.mac(i)).deviceId(), "device " + i);
            }
            assertEquals(0, g.compliance().stats().storeLoads(), "nothing was read from the store on demand");
        }
    }

    @Test
    void firstStart_createsDataDirectoryStoreAndAuditLogOwnerOnly() throws Exception {
        Path data = dir.resolve("fresh/data");
        try (Gateway g = Gateway.start(config().withDataDir(data), Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).build());
            assertEquals("rwx------", mode(data));
            assertEquals("rwx------", mode(data.getParent()));
            assertEquals("rwx------", mode(data.resolve("pki")));
            java.util.List<String> files = new java.util.ArrayList<>();
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(data)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    if (java.nio.file.Files.isRegularFile(f)) {
                        files.add(f.getFileName().toString());
                        assertEquals("rw-------", mode(f), f.toString());
                    }
                }
            }
            assertTrue(files.containsAll(java.util.List.of("nacgw.db", "nacgw.db-wal", "nacgw.db.lock", "audit.jsonl")),
                    files.toString());
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }

    @Test
    void takenHttpsOrMetricsPort_theMessageSaysWhichPort() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Properties p = new Properties();
            p.setProperty("nacgw.api.port", Integer.toString(taken.getLocalPort()));
            String m = assertThrows(RuntimeException.class, () -> Gateway.start(config(p), Clock.systemUTC())).getMessage();
            assertTrue(m.contains("HTTPS API port (api.port) 127.0.0.1:" + taken.getLocalPort()), m);
            p.clear();
            p.setProperty("nacgw.metrics.port", Integer.toString(taken.getLocalPort()));
            m = assertThrows(RuntimeException.class, () -> Gateway.start(config(p), Clock.systemUTC())).getMessage();
            assertTrue(m.contains("operations port (metrics.port) 127.0.0.1:" + taken.getLocalPort()), m);
        }
    }

    @Test
    void bindAddress_mustBeAnIpLiteral_neverLookedUpInDns() {
        Properties p = new Properties();
        p.setProperty("nacgw.radius.bindAddress", "no-such-host.invalid");
        String m = assertThrows(io.nacgw.gateway.config.ConfigException.class, () -> config(p)).getMessage();
        assertTrue(m.contains("radius.bindAddress") && m.contains("IP address"), m);
        p.setProperty("nacgw.radius.bindAddress", "300.1.2.3");
        m = assertThrows(io.nacgw.gateway.config.ConfigException.class, () -> config(p)).getMessage();
        assertTrue(m.contains("radius.bindAddress"), m);
        p.setProperty("nacgw.radius.bindAddress", "::1");
        p.setProperty("nacgw.api.host", "fe80::zz");
        m = assertThrows(io.nacgw.gateway.config.ConfigException.class, () -> config(p)).getMessage();
        assertTrue(m.contains("api.host"), m);
        assertFalse(m.contains("NullPointerException"), m);
    }
}
