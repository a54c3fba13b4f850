package io.nacgw.loadgen;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The load generator against a real FreeRADIUS 3.2 configured by the benchmark's own config generator
 * ({@code bench/lib/freeradius-conf.sh}): an rlm_files allow-list of the compliant and grace MACs with the VLAN reply,
 * everything else rejected. Skipped where FreeRADIUS is not installed, except in CI (CI=true), where it must run.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class FreeRadiusInteropTest {
    private static final String SECRET = "interop-secret-2865";
    @TempDir
    Path dir;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void run_againstFreeRadiusAllowlist_zeroMismatches() throws Exception {
        Path binary = Needs.executable("freeradius", "/usr/sbin/freeradius");
        SyntheticDevices devices = new SyntheticDevices(11, 5000, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        List<String> allow = new ArrayList<>();
        for (int i = 0; i < devices.count(); i++) {
            DeviceClass c = devices.classOf(i);
            if (c == DeviceClass.COMPLIANT || c == DeviceClass.GRACE) {
                devices.device(i).macs().forEach(m -> allow.add(m.toHex12()));
            }
        }
        Path allowFile = Files.write(dir.resolve("allow.txt"), allow);
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Path conf = Files.createDirectory(dir.resolve("raddb"));
        int port = freePort();
        Path script = Path.of("..", "bench", "lib", "freeradius-conf.sh").toAbsolutePath().normalize();
        Process gen = new ProcessBuilder("bash", script.toString(), conf.toString(), Integer.toString(port),
                secretFile.toString(), allowFile.toString(), "100", "yes").redirectErrorStream(true).start();
        String genOut = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gen.waitFor(), genOut);
        server = new ProcessBuilder(binary.toString(), "-f", "-d", conf.toString(), "-l", conf.resolve("stdout.log").toString())
                .redirectErrorStream(true).redirectOutput(conf.resolve("console.log").toFile()).start();
        waitForPort(port);

        LoadSettings s = new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                SECRET.getBytes(StandardCharsets.US_ASCII), 16, 0, null, 2000, Duration.ZERO, RequestShape.MAB, true,
                false, // Debian 12's FreeRADIUS 3.2.1 predates the BlastRADIUS fix that always adds Message-Authenticator
                1, 1, Duration.ofSeconds(2), 2, 0.1, 3, true, server.pid(), LoadSettings.DEFAULT_RECEIVE_BUFFER);
        StringWriter progress = new StringWriter();
        Report r = RadiusLoadGenerator.run(s, Targets.synthetic(devices), Expectations.preset("allowlist"), new PrintWriter(progress));
        assertEquals(0, r.exitStatus(), r.toText() + "\n" + Files.readString(conf.resolve("console.log")));
        assertEquals(2000, r.ok());
        assertTrue(r.verdicts().getOrDefault("compliant accept:100", 0L) > 0, r.verdicts().toString());
        assertTrue(r.serverCpuPercent() > 0, r.toText());
        assertTrue(r.verdicts().getOrDefault("unknown reject", 0L) > 0, r.verdicts().toString());
        assertTrue(r.verdicts().getOrDefault("noncompliant reject", 0L) > 0, r.verdicts().toString());
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** FreeRADIUS is up once its port is taken (it binds after loading the users file). */
    private void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("FreeRADIUS exited: " + Files.readString(dir.resolve("raddb").resolve("console.log")));
            }
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                probe.close();
                Thread.sleep(50);
            } catch (java.net.BindException taken) {
                return;
            }
        }
        fail("FreeRADIUS did not bind 127.0.0.1:" + port + " within 20 s");
    }
}
