package io.nacgw.gateway.cli;

import io.nacgw.gateway.config.Durations;
import io.nacgw.loadgen.ApiLoadGenerator;
import io.nacgw.loadgen.ApiLoadSettings;
import io.nacgw.loadgen.ApiMode;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.Report;
import io.nacgw.loadgen.Targets;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nacgw loadtest api}: drives an HTTPS NAC API (Cisco ISE MDM API or nacgw's JSON lookup) with device lookups. */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look synthetic devices up over HTTPS (Cisco ISE MDM API v3/v2 or nacgw's JSON API) and check "
                + "every answer's verdict against the synthetic truth.",
                "Expected verdicts follow --profile like 'loadtest radius': the allowed answer -> allow (ISE: "
                        + "compliance status true), a quarantine VLAN -> quarantine, reject -> deny (ISE: status false); "
                        + "unknown devices -> found:false (ISE: empty deviceList).",
                "Exit status: 0 every answer right; 1 a wrong answer (HTTP status, unreadable body, mismatch); "
                        + "2 usage error; 3 only timeouts/connect failures/unsent."})
final class ApiLoadtest implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "URL", description = "https://HOST:PORT of the API.")
    URI target;
    @Option(names = "--mode", defaultValue = "ise-v3", description = "ise-v3, ise-v2 or json (default ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate(s) that sign the server's certificate.")
    Path ca;
    @Option(names = "--insecure", description = "Trust any server certificate (self-signed test servers only).")
    boolean insecure;
    @Option(names = "--client-cert", paramLabel = "FILE", description = "PEM client certificate (chain) for mutual TLS.")
    Path clientCert;
    @Option(names = "--client-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --client-cert.")
    Path clientKey;
    @Option(names = "--basic-file", paramLabel = "FILE", description = "File whose first line is user:password for HTTP Basic.")
    Path basicFile;

    @Mixin
    LoadtestOptions.Devices devices;
    @Mixin
    LoadtestOptions.Expect expect;

    @Option(names = "--connections", defaultValue = "8", description = "TLS connections, one request in flight each (default ${DEFAULT-VALUE}); "
            + "without --rate this is the closed loop's outstanding count.")
    int connections;
    @Option(names = "--rate", paramLabel = "R", description = "Open loop: R requests/s on a fixed schedule over the connections; latency from the intended send time.")
    Double rate;

    @ArgGroup(exclusive = true, multiplicity = "1")
    LoadtestOptions.Length length;

    @Option(names = "--warmup", defaultValue = "0s", description = "Warm-up before measuring (default ${DEFAULT-VALUE}).")
    String warmup;
    @Option(names = "--no-keep-alive", description = "A new connection (TCP and TLS handshake) for every request.")
    boolean noKeepAlive;
    @Option(names = "--timeout", defaultValue = "5000", paramLabel = "MS", description = "Milliseconds before a request counts as timed out (default ${DEFAULT-VALUE}).")
    long timeoutMs;
    @Option(names = "--nio", description = "Use the NIO transport even where native epoll is available.")
    boolean nio;
    @Option(names = "--server-pid", paramLabel = "PID", description = "Server process on this machine: report its CPU over the measured window.")
    long serverPid;
    @Option(names = "--status-only", description = "Check only for HTTP 200, not the verdict: for a baseline server "
            + "such as nginx answering every request with the same static body.")
    boolean statusOnly;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;
    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!"https".equalsIgnoreCase(target.getScheme()) || target.getHost() == null || target.getPort() < 1) {
            throw new IllegalArgumentException("--target must be https://HOST:PORT, got '" + target + "'");
        }
        String basic = null;
        if (basicFile != null) {
            List<String> lines = Files.readAllLines(basicFile, StandardCharsets.UTF_8);
            basic = lines.isEmpty() ? "" : lines.get(0);
        }
        Expectations expectations = expect.expectations();
        Targets targets = devices.targets();
        ApiLoadSettings settings = new ApiLoadSettings(target.getHost(), target.getPort(), ApiMode.parse(mode), connections,
                rate != null ? rate : 0, length.duration(),
                length.requests(), Durations.parse(warmup), !noKeepAlive, ca, insecure,
                clientCert, clientKey, basic, Duration.ofMillis(timeoutMs), devices.unknown, devices.seed, !nio, serverPid, statusOnly);
        err.println("loadtest api: " + settings + ", " + targets.size() + " devices");
        err.flush();
        Report report = ApiLoadGenerator.run(settings, targets, expectations, quiet ? null : err);
        out.print(report.toText());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
        }
        return report.exitStatus();
    }
}
