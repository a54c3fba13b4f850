package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.id.MacAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code nacgw decisions recent}: the running gateway's last decisions (the console's "last decisions"). */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = "Show the running gateway's most recent RADIUS decisions, newest first (talks to its metrics "
                + "port, metrics.host:metrics.port; the full record is the audit log).",
        subcommands = {DecisionsCommand.Recent.class})
public final class DecisionsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

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
            if (mac != null && MacAddress.tryParse(mac.strip()) == null) {
                throw new IllegalArgumentException("--mac '" + mac + "' is not a MAC address");
            }
            PrintWriter out = spec.commandLine().getOut();
            StringJoiner q = new StringJoiner("&", "?", "");
            add(q, "mac", mac == null ? null : mac.strip());
            add(q, "deviceId", device);
            add(q, "nas", nas);
            q.add("limit=" + limit);
            HttpResponse<String> r = SyncCommand.call(SyncCommand.base(options.load(out, false)) + "/decisions/recent"
                    + q, "GET");
            JsonNode n = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalArgumentException(n.path("error").asText("HTTP " + r.statusCode()));
            }
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

        private static void add(StringJoiner q, String name, String value) {
            if (value != null) {
                q.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }
}
