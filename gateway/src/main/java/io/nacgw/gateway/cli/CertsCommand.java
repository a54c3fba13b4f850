package io.nacgw.gateway.cli;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.CertificateInfo;
import io.nacgw.certs.CertsException;
import io.nacgw.certs.CrlResult;
import io.nacgw.certs.InitResult;
import io.nacgw.certs.IssuedCert;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.PkiLayout;
import io.nacgw.certs.RevokeResult;
import io.nacgw.certs.Role;
import io.nacgw.certs.ServerNames;
import io.nacgw.certs.Written;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nacgw certs ...}: nacgw's own CA, client certificates for NAC appliances and operators, revocation. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Create the nacgw CA and server certificate, issue client certificates for NAC appliances "
                + "(partner) and operators (admin), list, revoke and inspect them. Files live in DATA_DIR/pki "
                + "unless --pki DIR is given.",
        subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsCommand.ListCerts.class,
                CertsCommand.Revoke.class, CertsCommand.Crl.class, CertsCommand.Inspect.class})
final class CertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --config}/{@code --data-dir} and {@code --pki}: which CA directory a certs command works on. */
    public static final class PkiOptions {
        @Mixin
        ConfigOptions config;

        @Option(names = "--pki", paramLabel = "DIR",
                description = "CA directory (default: pki in the data directory).")
        Path pki;

        /** The CA in --pki, else in the configured data directory's {@code pki/}; creates nothing. */
        CertificateAuthority open(PrintWriter out) {
            Path dir = pki != null ? pki : config.load(out, false).dataDir().resolve("pki");
            return CertificateAuthority.open(dir);
        }
    }

    static void printWritten(PrintWriter out, List<Written> written) {
        for (Written w : written) {
            out.println("  wrote " + w);
        }
    }

    static CertificateAuthority requireCa(CertificateAuthority ca) {
        if (!ca.initialized()) {
            throw new CertsException("no CA in " + ca.layout().directory() + "; create one with: nacgw certs init");
        }
        return ca;
    }

    /** {@code nacgw certs init}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the CA and the server certificate, an empty index and an empty CRL. The server "
                    + "certificate covers the --host and --ip values; with neither, this machine's host name, "
                    + "localhost, 127.0.0.1 and ::1. Refuses to overwrite an existing CA unless --force.")
    public static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;
        @Option(names = "--host", paramLabel = "NAME", description = "DNS name for the server certificate (repeatable).")
        List<String> hosts = new ArrayList<>();
        @Option(names = "--ip", paramLabel = "ADDR", description = "IP address for the server certificate (repeatable).")
        List<String> ips = new ArrayList<>();
        @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ecdsa-p256",
                description = "ecdsa-p256 or rsa-3072 (default: ${DEFAULT-VALUE}); certificates use the CA's type.")
        String keyType;
        @Option(names = "--force", description = "Replace an existing CA. Every certificate the old CA issued stops "
                + "working; its index is kept as index-<time>.tsv.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KeyType type = KeyType.fromName(keyType);
            ServerNames names = hosts.isEmpty() && ips.isEmpty() ? ServerNames.defaults() : new ServerNames(hosts, ips);
            CertificateAuthority ca = pki.open(out);
            if (!force) {
                refuseExisting(ca.layout());
            }
            InitResult r = ca.init(names, type, force);
            out.println("created " + type.name().toLowerCase(Locale.ROOT).replace('_', '-') + " CA '"
                    + r.caCertificate().getSubjectX500Principal().getName() + "' in " + ca.layout().directory());
            out.println("server certificate serial " + r.server().serialHex() + " for "
                    + String.join(", ", concat(names.hosts(), names.ips())) + ", valid until " + r.server().notAfter());
            printWritten(out, r.written());
            out.println("give " + ca.layout().caCertificate() + " to NAC appliances as the trust anchor");
            return 0;
        }

        private static void refuseExisting(PkiLayout layout) {
            for (Path p : List.of(layout.caKey(), layout.caCertificate(), layout.serverKey(),
                    layout.serverCertificate())) {
                if (Files.exists(p)) {
                    throw new CertsException("a CA already exists in " + layout.directory() + " (" + p.getFileName()
                            + "); refusing to overwrite it. Use --force to replace it: every certificate it issued"
                            + " then stops working.");
                }
            }
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }

    /** {@code nacgw certs issue}. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a client certificate for a NAC appliance (--role partner) or an operator "
                    + "(--role admin): NAME.pem, NAME.key, NAME-chain.pem and NAME.p12 in --out (default "
                    + "pki/clients/NAME). The PKCS#12 password comes from --password-file, --password-env or, "
                    + "without either, a prompt on the terminal; it is never taken from the command line.")
    public static final class Issue implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;
        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "The certificate's CN and file name, e.g. ise1 (letters, digits, . _ @ -).")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "partner, admin or nas (a RadSec NAS).")
        String role;
        @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: "
                + CertificateAuthority.DEFAULT_CLIENT_DAYS + ", never beyond the CA's own expiry).")
        int days = CertificateAuthority.DEFAULT_CLIENT_DAYS;
        @Option(names = "--out", paramLabel = "DIR", description = "Directory for the files (default: pki/clients/NAME).")
        Path outDir;
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        PasswordSource password;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Role r = Role.fromName(role);
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1, was " + days);
            }
            CertificateAuthority ca = requireCa(pki.open(out)); // before prompting: no CA, no point asking
            char[] secret = PasswordSource.read(password, "PKCS#12 password for " + name, spec.commandLine().getErr());
            IssuedClient c;
            try {
                c = ca.issueClient(name, r, days, outDir, secret);
            } finally {
                Arrays.fill(secret, '\0');
            }
            out.println("issued " + c.entry().kind() + " certificate '" + name + "' serial " + c.entry().serialHex()
                    + ", valid until " + c.entry().notAfter());
            printWritten(out, c.written());
            out.println("the client needs " + c.pkcs12File().getFileName() + " (or " + c.chainFile().getFileName()
                    + " and " + c.keyFile().getFileName() + ") and trusts the server through "
                    + ca.layout().caCertificate());
            return 0;
        }
    }

    /** {@code nacgw certs list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List every certificate the CA issued, server and clients, with its status.")
    public static final class ListCerts implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CertificateAuthority ca = requireCa(pki.open(out));
            Instant now = Instant.now();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SERIAL", "KIND", "NAME", "ROLE", "NOT AFTER", "STATUS"});
            for (IssuedCert c : ca.list()) {
                rows.add(new String[] {c.serialHex(), c.server() ? "server" : "client", c.name(),
                        c.role().map(x -> x.name().toLowerCase(Locale.ROOT)).orElse("-"), c.notAfter().toString(),
                        c.status(now) + c.revokedAt().map(t -> " " + t).orElse("")});
            }
            int[] width = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
                }
                out.println(line);
            }
            int count = rows.size() - 1;
            out.println(count + (count == 1 ? " certificate in " : " certificates in ") + ca.layout().index());
            return 0;
        }
    }

    /** {@code nacgw certs revoke}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a certificate by serial (as shown by list) or every valid certificate with a name, "
                    + "then rewrite the CRL.")
    public static final class Revoke implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        /** Exactly one of --serial and --name. */
        static final class Which {
            @Option(names = "--serial", paramLabel = "S", description = "Serial in hex, as list or openssl prints it.")
            String serial;
            @Option(names = "--name", paramLabel = "NAME", description = "Certificate name (CN).")
            String name;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CertificateAuthority ca = requireCa(pki.open(out));
            RevokeResult r = which.serial != null ? ca.revoke(CertificateAuthority.parseSerial(which.serial))
                    : ca.revokeByName(which.name);
            for (IssuedCert c : r.revoked()) {
                out.println("revoked " + c.kind() + " certificate '" + c.name() + "' serial " + c.serialHex());
            }
            CrlResult crl = r.crl();
            out.println("refreshed the CRL: " + crl.revoked().size() + " revoked, number " + crl.number()
                    + ", next update by " + crl.nextUpdate());
            printWritten(out, r.written());
            return 0;
        }
    }

    /** {@code nacgw certs crl}. */
    @Command(name = "crl", mixinStandardHelpOptions = true,
            description = "Write a fresh CRL (new number, valid 30 days). Run it more often than that, e.g. weekly "
                    + "from cron, so peers never see an outdated CRL.")
    public static final class Crl implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CrlResult crl = requireCa(pki.open(out)).crl();
            out.println("CRL number " + crl.number() + ": " + crl.revoked().size() + " revoked, valid until "
                    + crl.nextUpdate());
            printWritten(out, crl.written());
            return 0;
        }
    }

    /** {@code nacgw certs inspect FILE}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show a certificate (PEM or DER): subject, SANs, validity, role, device ids and, when this "
                    + "CA issued it, its index entry and revocation.")
    public static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        PkiOptions pki;
        @Parameters(paramLabel = "FILE", description = "Certificate file; the first certificate in it is shown.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
            CertificateInfo info = pki.open(out).inspect(file);
            out.print(info.describe(Instant.now()));
            out.flush();
            return 0;
        }
    }
}
