package io.nacgw.radius;

import io.nacgw.core.testing.Needs;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * FreeRADIUS 3.2 as a test peer: a private configuration in a directory of its own ({@link #configure}: the common
 * preamble, then the test's clients, modules and servers), started in the foreground, ready once it holds its UDP
 * port on 127.0.0.1, stopped (and started again on the same ports). Skips the test where FreeRADIUS is not
 * installed, except with {@code CI=true} ({@link Needs}).
 */
public final class FreeRadius implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/freeradius";
    private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final Path dir;
    private final int readyPort;
    private Process process;

    /** FreeRADIUS {@code name} (for messages) with its configuration in {@code dir}, ready once it binds {@code readyPort}. */
    public FreeRadius(String name, Path dir, int readyPort) throws IOException {
        this.name = name;
        this.dir = dir;
        this.readyPort = readyPort;
        Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes {@code radiusd.conf}: the preamble (paths, limits, file logging, the security section with
     * {@code status_server} per {@code statusServer}) and {@code body} with {@code DIR} replaced by the directory.
     */
    public void configure(boolean statusServer, String body) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(dir.resolve("dictionary"), "");
        Files.writeString(dir.resolve("radiusd.conf"), (PREAMBLE.replace("STATUS", statusServer ? "yes" : "no") + body)
                .replace("DIR", dir.toString()));
    }

    /** Starts it and returns once it holds its port; fails the test with its log when it exits or never binds. */
    public void start() throws Exception {
        Path binary = Needs.executable("freeradius", BINARY);
        process = new ProcessBuilder(binary.toString(), "-f", "-d", dir.toString(), "-l",
                dir.resolve("radius.log").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile())).start();
        long deadline = System.nanoTime() + READY_NANOS;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("FreeRADIUS " + name + " exited: " + log());
            }
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    readyPort))) {
                probe.close();
                Thread.sleep(50);
            } catch (java.net.BindException taken) {
                return;
            }
        }
        fail("FreeRADIUS " + name + " did not bind 127.0.0.1:" + readyPort + " within 30 s: " + log());
    }

    /** Stops it (SIGTERM, then SIGKILL after 10 s); idempotent. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** What it printed and logged so far, for assertion messages. */
    public String log() {
        try {
            String console = Files.exists(dir.resolve("console.log")) ? Files.readString(dir.resolve("console.log")) : "";
            String file = Files.exists(dir.resolve("radius.log")) ? Files.readString(dir.resolve("radius.log")) : "";
            return console + file;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** A free UDP port on 127.0.0.1 (free when asked). */
    public static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static final String PREAMBLE = """
            prefix = /usr
            exec_prefix = /usr
            sysconfdir = /etc
            localstatedir = /var
            sbindir = /usr/sbin
            logdir = DIR/log
            raddbdir = DIR
            radacctdir = DIR/log
            name = freeradius
            confdir = ${raddbdir}
            modconfdir = ${confdir}/mods-config
            run_dir = DIR/run
            db_dir = DIR
            libdir = /usr/lib/freeradius
            pidfile = ${run_dir}/freeradius.pid
            max_request_time = 30
            cleanup_delay = 5
            max_requests = 65536
            hostname_lookups = no
            log {
            \tdestination = files
            \tfile = ${logdir}/radius.log
            \tauth = yes
            }
            security {
            \tallow_core_dumps = no
            \tmax_attributes = 200
            \treject_delay = 0
            \tstatus_server = STATUS
            }
            """;
}
