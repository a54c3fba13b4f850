package io.nacgw.radius.proxy;

import io.nacgw.radius.FreeRadius;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * PAP, CHAP and MS-CHAP are checked (modules pap, chap, mschap with MPPE keys); {@link #withEap} adds PEAP and TTLS.
 * Accounting is acknowledged. {@link #stop()} and {@link #start()} again on the same ports. The process itself is a
 * {@link FreeRadius}.
 */
public final class HomeServer implements AutoCloseable {
    public static final String SECRET = "upstream-secret-42";

    final String name;
    final Path dir;
    private final FreeRadius process;
    public final int authPort;
    public final int acctPort;
    /** The RadSec (RFC 6614) listener's TCP port, or 0 when this server has none. */
    public final int tlsPort;
    private final TlsFiles tls;
    /** The EAP server's certificate, or null when this server terminates no EAP. */
    private final TlsFiles eap;

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
        this(name, dir, tls, null);
    }

    /**
     * A home server that also terminates EAP: PEAP (inner EAP-MSCHAPv2) and TTLS (inner PAP, or EAP-MSCHAPv2) with
     * {@code eap}'s certificate and key, the inner identities checked against the same users file, MS-MPPE keys in
     * the Accept.
     */
    public static HomeServer withEap(String name, Path dir, TlsFiles eap) throws IOException {
        return new HomeServer(name, dir, null, java.util.Objects.requireNonNull(eap, "eap"));
    }

    private HomeServer(String name, Path dir, TlsFiles tls, TlsFiles eap) throws IOException {
        this.name = name;
        this.dir = dir;
        this.tls = tls;
        this.eap = eap;
        this.authPort = FreeRadius.freePort();
        int acct;
        do {
            acct = FreeRadius.freePort();
        } while (acct == authPort);
        this.acctPort = acct;
        if (tls != null) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.tlsPort = s.getLocalPort();
            }
        } else {
            this.tlsPort = 0;
        }
        this.process = new FreeRadius(name, dir, authPort);
        writeConfig();
    }

    public void start() throws Exception {
        process.start();
    }

    public void stop() throws InterruptedException {
        process.stop();
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("users"), """
                alice   Cleartext-Password := "alice-pass"
                        Reply-Message := "welcome alice from NAME",
                        Class := "upstream-class",
                        Filter-Id := "upstream-acl",
                        Session-Timeout := 7200

                mfa     Cleartext-Password := "123456"
                        Reply-Message := "code accepted by NAME"
                """.replace("NAME", name));
        String conf = """
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
                EAP_MODULE
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
                EAP_AUTHORIZE
                \t\tfiles
                \t\tchap
                \t\tmschap
                \t\tpap
                \t}
                AUTHENTICATE
                EAP_AUTHENTICATE
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
                EAP_INNER
                """.replace("SECRET", SECRET)
                .replace("AUTHPORT", Integer.toString(authPort)).replace("ACCTPORT", Integer.toString(acctPort))
                .replace("RADSEC_LISTEN", tls == null ? "" : radsecListener())
                .replace("RADSEC_CLIENTS", tls == null ? "" : "thread pool {\n\tstart_servers = 2\n\tmax_servers = 4\n"
                        + "\tmin_spare_servers = 1\n\tmax_spare_servers = 4\n}\n"
                        + "clients radsec {\n\tclient nacgw-tls {\n"
                        + "\t\tipaddr = 127.0.0.1\n\t\tproto = tls\n\t\tsecret = radsec\n\t}\n}")
                .replace("EAP_MODULE\n", eap == null ? "" : eapModule())
                .replace("EAP_AUTHORIZE\n", eap == null ? "" : "\t\teap {\n\t\t\tok = return\n\t\t}\n")
                .replace("EAP_AUTHENTICATE\n", eap == null ? "" : "\t\tAuth-Type eap {\n\t\t\teap\n\t\t}\n")
                .replace("EAP_INNER\n", eap == null ? "" : INNER_TUNNEL).replace("AUTHENTICATE\n", AUTHENTICATE);
        process.configure(true, conf);
    }

    /** The eap module: PEAP and TTLS over one TLS configuration, their inner conversations in inner-tunnel. */
    private String eapModule() {
        return """
                \teap {
                \t\tdefault_eap_type = peap
                \t\ttimer_expire = 60
                \t\tignore_unknown_eap_types = no
                \t\tmax_sessions = 1000
                \t\ttls-config tls-common {
                \t\t\tprivate_key_file = KEY
                \t\t\tcertificate_file = CERT
                \t\t\tca_file = CA_PEM
                \t\t\tcipher_list = "DEFAULT"
                \t\t\tecdh_curve = ""
                \t\t\ttls_min_version = "1.2"
                \t\t\ttls_max_version = "1.2"
                \t\t}
                \t\tpeap {
                \t\t\ttls = tls-common
                \t\t\tdefault_eap_type = mschapv2
                \t\t\tvirtual_server = inner-tunnel
                \t\t}
                \t\tttls {
                \t\t\ttls = tls-common
                \t\t\tdefault_eap_type = mschapv2
                \t\t\tvirtual_server = inner-tunnel
                \t\t}
                \t\tmschapv2 {
                \t\t}
                \t}
                """.replace("CERT", eap.certificate().toString()).replace("KEY", eap.key().toString())
                .replace("CA_PEM", eap.ca().toString());
    }

    /** The passwords checked outside and inside the tunnels (the start of an {@code authenticate} section). */
    private static final String AUTHENTICATE = """
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
            """;

    /** The inside of PEAP and TTLS: EAP-MSCHAPv2, MS-CHAP and PAP against the users file. */
    private static final String INNER_TUNNEL = """
            server inner-tunnel {
            \tauthorize {
            \t\tmschap
            \t\teap {
            \t\t\tok = return
            \t\t}
            \t\tfiles
            \t\tpap
            \t}
            AUTHENTICATE
            \t\tAuth-Type eap {
            \t\t\teap
            \t\t}
            \t}
            }
            """.replace("AUTHENTICATE\n", AUTHENTICATE);

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
