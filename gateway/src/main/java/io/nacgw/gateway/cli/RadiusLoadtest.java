package io.nacgw.gateway.cli;

import io.nacgw.gateway.config.Durations;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.LoadSettings;
import io.nacgw.loadgen.RadiusLoadGenerator;
import io.nacgw.loadgen.StreamTls;
import io.nacgw.loadgen.Report;
import io.nacgw.loadgen.RequestShape;
import io.nacgw.loadgen.Targets;
import io.nacgw.loadgen.eap.EapTlsDevices;
import io.nacgw.loadgen.eap.EapTlsLoadGenerator;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nacgw loadtest radius}: drives any RADIUS server with MAB or VPN requests for synthetic devices. */
@Command(name = "radius", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send Access-Requests for synthetic devices to a RADIUS server (nacgw or any other) and check "
                + "every answer: Response Authenticator, Message-Authenticator (present and first) and the verdict "
                + "against the synthetic truth.",
                "Expected answers (--profile corp-wifi, the default): compliant and grace -> Accept VLAN 100; "
                        + "noncompliant, unmanaged and unknown -> Accept VLAN 999. --profile allowlist: compliant and "
                        + "grace -> Accept VLAN 100, everything else -> Reject. --expect-* options refine either.",
                "Exit status: 0 every answer right; 1 a wrong answer (mismatch, bad authenticator, missing "
                        + "Message-Authenticator, malformed, unexpected code); 2 usage error; 3 only timeouts/unsent."})
final class RadiusLoadtest implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "RADIUS server, e.g. 127.0.0.1:1812.")
    String target;
    @Option(names = "--secret-file", paramLabel = "FILE", description = "File whose first line is the shared secret "
            + "(required for udp; RadSec always uses 'radsec').")
    Path secretFile;
    @Option(names = "--transport", defaultValue = "udp", paramLabel = "T", description = "udp, or radsec: each source "
            + "is one RADIUS-over-TLS connection (RFC 6614), needs --tls-cert, --tls-key, --tls-ca and --retries 0 "
            + "(default ${DEFAULT-VALUE}).")
    String transport;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "RadSec: PEM client certificate (chain), e.g. "
            + "pki/clients/NAME/NAME-chain.pem from `nacgw certs issue --role nas`.")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "RadSec: its PEM private key.")
    Path tlsKey;
    @Option(names = "--tls-ca", paramLabel = "FILE", description = "RadSec: PEM CA the server certificate must chain to "
            + "(nacgw: pki/ca.pem).")
    Path tlsCa;

    @Mixin
    LoadtestOptions.Devices devices;
    @Mixin
    LoadtestOptions.Expect expect;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Load load;

    static final class Load {
        @Option(names = "--concurrency", paramLabel = "C", description = "Closed loop: C requests outstanding.")
        Integer concurrency;
        @Option(names = "--rate", paramLabel = "R", description = "Open loop: R requests/s on a fixed schedule; latency from the intended send time.")
        Double rate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    LoadtestOptions.Length length;

    @Option(names = "--warmup", defaultValue = "0s", description = "Warm-up before measuring, e.g. 5s (default ${DEFAULT-VALUE}).")
    String warmup;
    @Option(names = "--shape", defaultValue = "mab", description = "mab (PAP MAB, Call-Check), vpn (authorize-only, Cisco "
            + "mdm-tlv=device-mac), login (a user's PAP password 'loadgen-password' with the device MAC in Calling-Station-Id, "
            + "for a proxy in front of a home server) or eap-tls (802.1X conversations; --eap-* options) (default ${DEFAULT-VALUE}).")
    String shape;
    @Option(names = "--eap-ca", paramLabel = "PEM", description = "eap-tls: CA certificate that issues the device certificates (the server must trust it).")
    Path eapCa;
    @Option(names = "--eap-ca-key", paramLabel = "PEM", description = "eap-tls: its unencrypted private key.")
    Path eapCaKey;
    @Option(names = "--eap-devices", defaultValue = "100", paramLabel = "N", description = "eap-tls: device certificates issued (Intune SAN URI), for the first N devices (default ${DEFAULT-VALUE}).")
    int eapDevices;
    @Option(names = "--eap-tls", defaultValue = "1.2", paramLabel = "V", description = "eap-tls: TLS version 1.2 or 1.3 (default ${DEFAULT-VALUE}).")
    String eapTls;
    @Option(names = "--eap-resume", description = "eap-tls: resume each device's TLS 1.2 session (measure resumed handshakes; warm up first).")
    boolean eapResume;
    @Option(names = "--eap-tickets", description = "eap-tls: offer TLS 1.2 session tickets (RFC 5077); with --eap-resume, resume by the ticket instead of the session id.")
    boolean eapTickets;
    @Option(names = "--eap-fragment-size", defaultValue = "1000", paramLabel = "B", description = "eap-tls: TLS bytes per EAP-TLS response (default ${DEFAULT-VALUE}).")
    int eapFragmentSize;
    @Option(names = "--no-message-authenticator", description = "Do not send Message-Authenticator (answers are still checked when they carry one).")
    boolean noMessageAuthenticator;
    @Option(names = "--allow-reply-without-message-authenticator",
            description = "Accept answers without Message-Authenticator (servers older than the BlastRADIUS fixes, e.g. FreeRADIUS < 3.2.5).")
    boolean allowReplyWithoutMa;
    @Option(names = "--sources", description = "UDP source ports or RadSec connections, 256 identifiers each (default: concurrency/64 rounded up, 8 for --rate).")
    Integer sources;
    @Option(names = "--threads", defaultValue = "1", description = "Event-loop threads (default ${DEFAULT-VALUE}; the generator shares the CPU with the server).")
    int threads;
    @Option(names = "--timeout", defaultValue = "1000", paramLabel = "MS", description = "Milliseconds before a retransmission (default ${DEFAULT-VALUE}).")
    long timeoutMs;
    @Option(names = "--retries", defaultValue = "2", description = "Retransmissions before a request counts as timed out (default ${DEFAULT-VALUE}).")
    int retries;
    @Option(names = "--receive-buffer", defaultValue = "" + LoadSettings.DEFAULT_RECEIVE_BUFFER, paramLabel = "BYTES", description = "SO_RCVBUF of each "
            + "UDP source port, capped by the kernel's net.core.rmem_max; answers that do not fit are dropped and "
            + "reported (default ${DEFAULT-VALUE}).")
    int receiveBuffer;
    @Option(names = "--nio", description = "Use the NIO transport even where native epoll is available.")
    boolean nio;
    @Option(names = "--server-pid", paramLabel = "PID", description = "Server process on this machine: report its CPU "
            + "(from /proc/PID/stat) over the measured window.")
    long serverPid;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;
    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Expectations expectations = expect.expectations();
        Targets targets = devices.targets();
        int concurrency = load.concurrency != null ? load.concurrency : 0;
        double rate = load.rate != null ? load.rate : 0;
        StreamTls tls = streamTls();
        LoadSettings settings = new LoadSettings(address(target), tls != null ? StreamTls.SECRET : secret(secretFile),
                concurrency, rate,
                length.duration(),
                length.requests(), Durations.parse(warmup), shape(shape),
                !noMessageAuthenticator, !allowReplyWithoutMa,
                sources != null ? sources : LoadSettings.defaultSources(concurrency, rate), threads,
                Duration.ofMillis(timeoutMs), retries, devices.unknown, devices.seed, !nio, serverPid, receiveBuffer);
        Report report;
        if (settings.shape() == RequestShape.EAP_TLS) {
            if (tls != null) {
                throw new IllegalArgumentException("--shape eap-tls runs over --transport udp only");
            }
            report = eapTls(settings, expectations, err);
        } else {
            err.println("loadtest radius: " + settings + ", " + targets.size() + " devices");
            err.println("expected: " + expectations);
            err.flush();
            report = RadiusLoadGenerator.run(settings, tls, targets, expectations, quiet ? null : err);
        }
        out.print(report.toText());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
        }
        return report.exitStatus();
    }

    /** The RadSec files for {@code --transport radsec}, null for udp; wrong combinations name the option. */
    private StreamTls streamTls() {
        switch (transport) {
            case "udp":
                if (tlsCert != null || tlsKey != null || tlsCa != null) {
                    throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-ca need --transport radsec");
                }
                if (secretFile == null) {
                    throw new IllegalArgumentException("--secret-file is required with --transport udp");
                }
                return null;
            case "radsec":
                if (tlsCert == null || tlsKey == null || tlsCa == null) {
                    throw new IllegalArgumentException("--transport radsec needs --tls-cert, --tls-key and --tls-ca");
                }
                return new StreamTls(tlsCert, tlsKey, tlsCa);
            default:
                throw new IllegalArgumentException("--transport must be udp or radsec, got '" + transport + "'");
        }
    }

    private Report eapTls(LoadSettings settings, Expectations expectations, PrintWriter err) throws Exception {
        if (eapCa == null || eapCaKey == null) {
            throw new IllegalArgumentException("--shape eap-tls needs --eap-ca and --eap-ca-key");
        }
        if (!"1.2".equals(eapTls) && !"1.3".equals(eapTls)) {
            throw new IllegalArgumentException("--eap-tls must be 1.2 or 1.3, got '" + eapTls + "'");
        }
        EapTlsLoadGenerator.Settings e = new EapTlsLoadGenerator.Settings("1.3".equals(eapTls), eapResume, eapTickets,
                eapFragmentSize);
        List<EapTlsDevices.Device> certs = EapTlsDevices.issue(devices.records(), eapDevices,
                EapTlsDevices.readCertificate(eapCa), EapTlsDevices.readKey(eapCaKey));
        err.println("loadtest radius: " + settings + ", " + certs.size() + " device certificates, " + e.shapeName());
        err.println("expected: " + expectations);
        err.flush();
        return EapTlsLoadGenerator.run(settings, e, certs, expectations, quiet ? null : err);
    }

    static InetSocketAddress address(String hostPort) throws UnknownHostException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--target must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target port '" + hostPort.substring(colon + 1) + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target port must be 1-65535");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    static byte[] secret(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IllegalArgumentException("--secret-file " + file + " is empty");
        }
        return lines.get(0).getBytes(StandardCharsets.UTF_8);
    }

    private static RequestShape shape(String s) {
        try {
            return RequestShape.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--shape must be mab, vpn, login or eap-tls, got '" + s + "'");
        }
    }
}
