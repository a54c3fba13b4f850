package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.ClientAuth;
import io.nacgw.certs.ReloadingTlsContext;
import io.nacgw.certs.ServerTlsConfig;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.gateway.config.NacgwConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code nacgw run --check}: validates what a start needs without starting anything. The config is already loaded
 * and validated by the caller; this opens the store (which applies pending migrations) and closes it, loads the
 * server certificate and key, and looks whether the configured ports are free in the kernel's socket tables
 * ({@code /proc/net}) instead of binding them: a running gateway or another server on a port is left untouched,
 * and no listener or sync scheduler is started.
 */
public final class Preflight {
    private final NacgwConfig config;
    private final Clock clock;
    private final Path procNet;

    Preflight(NacgwConfig config, Clock clock, Path procNet) {
        this.config = config;
        this.clock = clock;
        this.procNet = procNet;
    }

    /** A preflight for {@code config} reading this machine's socket tables. */
    public static Preflight of(NacgwConfig config, Clock clock) {
        return new Preflight(config, clock, Path.of("/proc/net"));
    }

    /** One check's result: {@code ok} false means a start would fail. */
    public record Check(String what, boolean ok, String detail) {
        @Override
        public String toString() {
            return (ok ? "ok      " : "FAILED  ") + what + ": " + detail;
        }
    }

    /** Runs every check; none stops the others. */
    public List<Check> run() {
        List<Check> out = new ArrayList<>();
        out.add(new Check("config", true, "valid, profiles " + config.policy().toAccessPolicy().names()));
        out.add(dataDirectory());
        out.add(store());
        if (config.api().enabled()) {
            out.add(certificates());
            out.add(port("HTTPS API (api.port)", false, config.api().settings().host(), config.api().settings().port()));
        }
        if (config.radius().enabled()) {
            var r = config.radius().settings(config.audit().queueSize());
            out.add(port("RADIUS authentication (radius.authPort)", true, r.bindAddress(), r.authPort()));
            out.add(port("RADIUS accounting (radius.acctPort)", true, r.bindAddress(), r.acctPort()));
            var radsec = config.radius().radsec().settings(r.bindAddress());
            if (radsec.enabled()) {
                out.add(port("RadSec (radius.radsec.port)", false, radsec.bindAddress(), radsec.port()));
            }
        }
        if (config.metrics().enabled()) {
            out.add(port("metrics (metrics.port)", false, config.metrics().settings().host(),
                    config.metrics().settings().port()));
        }
        if (config.sync().enabled()) {
            out.add(new Check("sync", true, "credentials readable; " + config.sync().settings().baseUrl()
                    + " is not contacted by a check"));
        }
        return out;
    }

    /** Another gateway holding the data directory would make this one refuse to start. */
    private Check dataDirectory() {
        java.nio.file.Path dir = config.dataDir();
        return DataDirLock.isHeld(dir)
                ? new Check("data directory", false, dir + " is held by a running nacgw (" + DataDirLock.FILE + ")")
                : new Check("data directory", true, dir + " not in use by another gateway");
    }

    private Check store() {
        try (ComplianceStore s = ComplianceStore.open(config.store().settings(config.dataDir()))) {
            return new Check("store", true, "reachable and migrated, " + s.count() + " devices");
        } catch (RuntimeException e) {
            return new Check("store", false, String.valueOf(e.getMessage()));
        }
    }

    private Check certificates() {
        Path pki = config.dataDir().resolve("pki");
        try {
            CertificateAuthority ca = CertificateAuthority.open(pki, clock);
            if (!ca.initialized()) {
                return new Check("certificates", true, "none in " + pki + " yet: development certificates are "
                        + "written on first start");
            }
            ClientAuth auth = ClientAuth.valueOf(config.api().clientCertificates().toUpperCase(Locale.ROOT));
            try (ReloadingTlsContext tls = ReloadingTlsContext.create(ServerTlsConfig.fromPki(ca.layout(), auth)
                    .withClock(clock))) {
                X509Certificate c = tls.certificate();
                boolean valid = !clock.instant().isAfter(c.getNotAfter().toInstant());
                return new Check("certificates", valid, "server certificate " + c.getSubjectX500Principal().getName()
                        + (valid ? " valid until " : " EXPIRED on ") + c.getNotAfter().toInstant() + ", key readable");
            }
        } catch (RuntimeException e) {
            return new Check("certificates", false, "cannot load the server certificate and key from " + pki + ": "
                    + e.getMessage());
        }
    }

    private Check port(String what, boolean udp, String host, int port) {
        String where = (udp ? "UDP " : "TCP ") + host + ":" + port;
        if (port == 0) {
            return new Check(what, true, where + " (any free port)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new Check(what, false, where + ": unknown address");
        }
        Optional<Boolean> used;
        try {
            used = inUse(udp, address, port);
        } catch (IOException | RuntimeException e) {
            return new Check(what, true, where + " not checked (" + procNet + " unreadable: " + e.getMessage() + ")");
        }
        if (used.isEmpty()) {
            return new Check(what, true, where + " not checked (no " + procNet + " on this system)");
        }
        return used.get() ? new Check(what, false, where + " is in use by another socket")
                : new Check(what, true, where + " free");
    }

    /**
     * Whether a socket in the kernel's tables holds {@code port} on an address that overlaps {@code address}
     * (equal, or either one the wildcard): TCP listeners, any bound UDP socket. Empty without {@code /proc/net}.
     */
    Optional<Boolean> inUse(boolean udp, InetAddress address, int port) throws IOException {
        String proto = udp ? "udp" : "tcp";
        Path v4 = procNet.resolve(proto);
        if (!Files.isReadable(v4)) {
            return Optional.empty();
        }
        for (Path table : List.of(v4, procNet.resolve(proto + "6"))) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 4 || (!udp && !f[3].equals("0A"))) { // 0A: TCP LISTEN
                    continue;
                }
                int colon = f[1].indexOf(':');
                if (Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
                    continue;
                }
                byte[] held = procAddress(f[1].substring(0, colon));
                if (overlaps(held, address.getAddress())) {
                    return Optional.of(true);
                }
            }
        }
        return Optional.of(false);
    }

    /** An address as {@code /proc/net} prints it: hex, each 32-bit word in host (little-endian) order. */
    static byte[] procAddress(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] out = new byte[raw.length];
        for (int w = 0; w < raw.length; w += 4) {
            for (int b = 0; b < 4; b++) {
                out[w + b] = raw[w + 3 - b];
            }
        }
        return out;
    }

    private static boolean overlaps(byte[] a, byte[] b) {
        byte[] x = unmap(a);
        byte[] y = unmap(b);
        return isZero(x) || isZero(y) || java.util.Arrays.equals(x, y);
    }

    /** ::ffff:a.b.c.d → a.b.c.d, so an IPv4 address matches its IPv4-mapped form. */
    private static byte[] unmap(byte[] a) {
        if (a.length == 16) {
            boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = a[i] == 0;
            }
            if (mapped) {
                return java.util.Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }

    private static boolean isZero(byte[] a) {
        for (byte v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
