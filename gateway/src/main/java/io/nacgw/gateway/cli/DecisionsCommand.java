package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code nacgw decisions recent}: the running gateway's last decisions (the console's "last decisions"). */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = "Show the running gateway's most recent RADIUS decisions, newest first (talks to its metrics "
                + "port, metrics.host:metrics.port; the full record is the audit log).",
        subcommands = {DecisionsCommand.Recent.class})
final class DecisionsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code nacgw decisions recent}. */
    @Command(name = "recent", mixinStandardHelpOptions = true,
            description = "The last decisions, newest first: of the last api.console.recentDecisions kept in memory, or, "
                    + "when none of those matches, of as many lines read back from the end of the audit log.")
    public static final class Recent implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--mac", paramLabel = "M", description = "Looked up by this MAC (any notation).")
        String mac;
        @Option(names = "--device", paramLabel = "ID", description = "Of this MDM device id.")
        String device;
        @Option(names = "--nas", paramLabel = "N", description = "From this RADIUS client (its name).")
        String nas;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-500, default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--json", description = "The gateway's JSON as is.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            SessionsCommand.requireMac(mac);
            PrintWriter out = spec.commandLine().getOut();
            OpsClient.Answer r = OpsClient.of(options.load(out, false)).get("/decisions/recent" + OpsClient.query(
                    "mac", mac == null ? null : mac.strip(), "deviceId", device, "nas", nas, "limit", Integer.toString(limit)))
                    .require(200, IllegalArgumentException::new);
            JsonNode n = r.json();
            if (json) {
                out.println(r.body());
                return 0;
            }
            out.printf("%-24s %-14s %-26s %-12s %-10s %s%n", "TIME", "NAS", "IDENTIFIER", "PROFILE", "VERDICT", "REASONS");
            for (JsonNode d : n.path("decisions")) {
                StringJoiner reasons = new StringJoiner(" ");
                d.path("reasons").forEach(x -> reasons.add(x.asText()));
                out.printf("%-24s %-14s %-26s %-12s %-10s %s%n", d.path("time").asText(), d.path("nas").asText(),
                        d.path("identifierUsed").asText("-"), d.path("profile").asText("-"), d.path("verdict").asText(),
                        reasons);
            }
            return 0;
        }
    }
}
