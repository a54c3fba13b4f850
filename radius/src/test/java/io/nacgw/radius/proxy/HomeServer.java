package io.nacgw.radius.proxy;

import io.nacgw.core.testing.Needs;
import io.nacgw.radius.FreeRadiusConfig;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * FreeRADIUS 3.2 as an upstream home server for tests: a private configuration in a directory of its own, bound to
 * two free loopback ports (authentication, accounting), client 127.0.0.1 with {@link #SECRET} and
 * Message-Authenticator required, Status-Server on, and a {@code files} users file:
 * <ul>
 *   <li>{@code alice} / {@code alice-pass}: Accept with Reply-Message "welcome alice from NAME", Class
 *       "upstream-class", Filter-Id "upstream-acl", Session-Timeout 7200;</li>
 *   <li>{@code mfa}: without State an Access-Challenge (Reply-Message "Enter the code", State "mfa1"); with it,
 *       password {@code 123456};</li>
 *   <li>everyone else: Reject.</li>
 * </ul>
 * PAP, CHAP and MS-CHAP are checked (modules pap, chap, mschap with MPPE keys). Accounting is acknowledged. {@link #stop()} and {@link #start()} again on the same ports.
 */
public final class HomeServer implements AutoCloseable {
    public static final String SECRET = "upstream-secret-42";
    private static final String BINARY = "/usr/sbin/freeradius";

    final String name;
    final Path dir;
    public final int authPort;
    public final int acctPort;
    /** The RadSec (RFC 6614) listener's TCP port, or 0 when this server has none. */
    public final int tlsPort;
    private final TlsFiles tls;
    private Process process;

    /** PEM files of a RadSec listener: its CA (which must also have issued the clients'), certificate and key. */
    public record TlsFiles(Path ca, Path certificate, Path key) {
    }

    public HomeServer(String name, Path dir) throws IOException {
        this(name, dir, null);
    }

    /**
     * A home server that also listens for RadSec on 127.0.0.1:{@link #tlsPort} (authentication and accounting on
     * one connection, a client certificate from {@code tls.ca()} required, secret {@code radsec}), when {@code tls}
     * is given.
     */
    public HomeServer(String name, Path dir, TlsFiles tls) throws IOException {
        this.name = name;
        this.dir = dir;
        this.tls = tls;
        this.authPort = freePort();
        int acct;
        do {
            acct = freePort();
        } while (acct == authPort);
        this.acctPort = acct;
        if (tls != null) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.tlsPort = s.getLocalPort();
            }
        } else {
            this.tlsPort = 0;
        }
        writeConfig();
    }

    public void start() throws Exception {
        Path binary = Needs.executable("freeradius", BINARY);
        process = new ProcessBuilder(binary.toString(), "-f", "-d", dir.toString(), "-l",
                dir.resolve("radius.log").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("FreeRADIUS " + name + " exited: " + log());
            }
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    authPort))) {
                probe.close();
                Thread.sleep(50);
            } catch (java.net.BindException taken) {
                return;
            }
        }
        fail("FreeRADIUS " + name + " did not bind 127.0.0.1:" + authPort + " within 30 s");
    }

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

    public static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private void writeConfig() throws IOException {
        String preamble = FreeRadiusConfig.preamble(dir, true);
        Files.writeString(dir.resolve("users"), """
                alice   Cleartext-Password := "alice-pass"
                        Reply-Message := "welcome alice from NAME",
                        Class := "upstream-class",
                        Filter-Id := "upstream-acl",
                        Session-Timeout := 7200

                mfa     Cleartext-Password := "123456"
                        Reply-Message := "code accepted by NAME"
                """.replace("NAME", name));
        String conf = preamble + """
                RADSEC_CLIENTS
                client nacgw {
                \tipaddr = 127.0.0.1
                \tsecret = "SECRET"
                \trequire_message_authenticator = yes
                }
                modules {
                \tpap {
                \t\tnormalise = yes
                \t}
                \tchap {
                \t}
                \tmschap {
                \t\tuse_mppe = yes
                \t}
                \tfiles {
                \t\tfilename = DIR/users
                \t}
                \talways ok {
                \t\trcode = ok
                \t}
                \talways handled {
                \t\trcode = handled
                \t}
                }
                server default {
                \tlisten {
                \t\ttype = auth
                \t\tipaddr = 127.0.0.1
                \t\tport = AUTHPORT
                \t}
                \tlisten {
                \t\ttype = acct
                \t\tipaddr = 127.0.0.1
                \t\tport = ACCTPORT
                \t}
                RADSEC_LISTEN
                \tauthorize {
                \t\tif (&User-Name == "mfa" && !&State) {
                \t\t\tupdate reply {
                \t\t\t\t&Reply-Message := "Enter the code"
                \t\t\t\t&State := "mfa1"
                \t\t\t}
                \t\t\tupdate control {
                \t\t\t\t&Response-Packet-Type := Access-Challenge
                \t\t\t}
                \t\t\thandled
                \t\t}
                \t\tfiles
                \t\tchap
                \t\tmschap
                \t\tpap
                \t}
                \tauthenticate {
                \t\tAuth-Type PAP {
                \t\t\tpap
                \t\t}
                \t\tAuth-Type CHAP {
                \t\t\tchap
                \t\t}
                \t\tAuth-Type MS-CHAP {
                \t\t\tmschap
                \t\t}
                \t}
                \tpreacct {
                \t\tok
                \t}
                \taccounting {
                \t\tok
                \t}
                \tAutz-Type Status-Server {
                \t\tok
                \t}
                }
                """.replace("DIR", dir.toString()).replace("SECRET", SECRET)
                .replace("AUTHPORT", Integer.toString(authPort)).replace("ACCTPORT", Integer.toString(acctPort))
                .replace("RADSEC_LISTEN", tls == null ? "" : radsecListener())
                .replace("RADSEC_CLIENTS", tls == null ? "" : "thread pool {\n\tstart_servers = 2\n\tmax_servers = 4\n"
                        + "\tmin_spare_servers = 1\n\tmax_spare_servers = 4\n}\n"
                        + "clients radsec {\n\tclient nacgw-tls {\n"
                        + "\t\tipaddr = 127.0.0.1\n\t\tproto = tls\n\t\tsecret = radsec\n\t}\n}");
        Files.writeString(dir.resolve("radiusd.conf"), conf);
    }

    /** A TLS listener for authentication and accounting (FreeRADIUS 3.2 {@code proto = tcp} with {@code tls}). */
    private String radsecListener() {
        return """
                \tlisten {
                \t\ttype = auth+acct
                \t\tproto = tcp
                \t\tipaddr = 127.0.0.1
                \t\tport = TLSPORT
                \t\tclients = radsec
                \t\ttls {
                \t\t\tcertificate_file = CERT
                \t\t\tprivate_key_file = KEY
                \t\t\tca_file = CA_PEM
                \t\t\trequire_client_cert = yes
                \t\t\ttls_min_version = "1.2"
                \t\t\tfragment_size = 8192
                \t\t}
                \t}
                """.replace("TLSPORT", Integer.toString(tlsPort)).replace("CERT", tls.certificate().toString())
                .replace("KEY", tls.key().toString()).replace("CA_PEM", tls.ca().toString());
    }
}
