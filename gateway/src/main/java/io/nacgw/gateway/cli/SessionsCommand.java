package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nacgw.core.id.MacAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nacgw sessions list}: the running gateway's session table, through its localhost operations port. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = "Show the network sessions the running gateway knows, or re-authenticate one through CoA "
                + "(talks to its metrics port, metrics.host:metrics.port).",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Reauth.class})
final class SessionsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A usage error unless {@code mac} (the --mac option, null when absent) is a MAC address in some notation. */
    static void requireMac(String mac) {
        if (mac != null && MacAddress.tryParse(mac.strip()) == null) {
            throw new IllegalArgumentException("--mac '" + mac + "' is not a MAC address");
        }
    }

    /** {@code nacgw sessions list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Sessions from Access-Accepts and accounting, newest first (exit 0 also when none match).")
    public static final class ListSessions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--nas", paramLabel = "N",
                description = "A NAS: its address, NAS-Identifier, identity (ip:10.0.0.1, id:sw1) or RADIUS client name.")
        String nas;
        @Option(names = "--mac", paramLabel = "M", description = "The endpoint's MAC, any common notation.")
        String mac;
        @Option(names = "--active", description = "Only sessions active now.")
        boolean active;
        @Option(names = "--limit", defaultValue = "1000", description = "At most this many (1-10000, default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--json", description = "The gateway's JSON as is.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            requireMac(mac);
            PrintWriter out = spec.commandLine().getOut();
            OpsClient.Answer r = OpsClient.of(options.load(out, false)).get("/sessions" + OpsClient.query("nas", nas,
                    "mac", mac == null ? null : mac.strip(), "active", active ? "true" : null, "limit",
                    Integer.toString(limit))).require(200, IllegalArgumentException::new);
            JsonNode n = r.json();
            if (json) {
                out.println(r.body());
            } else {
                table(n, out);
            }
            out.flush();
            return 0;
        }

        private static void table(JsonNode n, PrintWriter out) {
            String format = "%-16s %-6s %-24s %-12s %-20s %-17s %-36s %-12s %-10s %s%n";
            out.printf(format, "ID", "STATE", "NAS", "CLIENT", "ACCT-SESSION-ID", "MAC", "DEVICE", "PROFILE",
                    "VERDICT", "UPDATED");
            for (JsonNode s : n.path("sessions")) {
                String state = s.path("active").asBoolean() ? "active" : s.has("stoppedAt") ? "ended" : "expired";
                out.printf(format, s.path("id").asText(), state, s.path("nas").path("id").asText(),
                        s.path("nas").path("client").asText(), s.path("acctSessionId").asText("-"),
                        s.path("mac").asText("-"), s.path("deviceId").asText("-"), s.path("profile").asText("-"),
                        s.path("verdict").asText("-"), s.path("updatedAt").asText());
            }
            out.println(n.path("count").asInt() + " session(s)" + (n.path("truncated").asBoolean()
                    ? ", more match: raise --limit or narrow with --nas/--mac/--active" : ""));
        }
    }

    /** {@code nacgw sessions reauth --mac M | --session ID [--disconnect]}. */
    @Command(name = "reauth", mixinStandardHelpOptions = true,
            description = "Send the NAS holding a session a CoA re-authentication (or a Disconnect) now, and show its "
                    + "answer (exit 0 when every NAS acknowledged, 1 otherwise).")
    public static final class Reauth implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--disconnect", description = "Disconnect-Request instead of the NAS client's coaAction.")
        boolean disconnect;
        @Option(names = "--json", description = "The gateway's JSON as is.")
        boolean json;

        /** Which sessions. */
        static final class Target {
            @Option(names = "--mac", paramLabel = "M", description = "Every active session of this MAC, any common notation.")
            String mac;
            @Option(names = "--session", paramLabel = "ID", description = "One session by nacgw's id (sessions list).")
            String session;
        }

        @Override
        public Integer call() throws Exception {
            requireMac(target.mac);
            PrintWriter out = spec.commandLine().getOut();
            String q = OpsClient.query("mac", target.mac == null ? null : target.mac.strip(), "session",
                    target.session == null ? null : target.session.strip(), "disconnect", disconnect ? "true" : null);
            // up to 3 attempts with backoff (7 s by default) per NAS: allow for it
            OpsClient.Answer r = OpsClient.of(options.load(out, false)).post("/sessions/reauth" + q,
                    java.time.Duration.ofSeconds(60));
            JsonNode n = r.json();
            if (r.status() == 404) {
                out.println(r.error());
                out.flush();
                return 1;
            }
            r.require(200, IllegalArgumentException::new);
            boolean allAcked = true;
            if (json) {
                out.println(r.body());
            } else {
                String format = "%-16s %-12s %-22s %-32s %-10s %-6s %s%n";
                out.printf(format, "SESSION", "CLIENT", "SENT TO", "SENT", "ANSWER", "CAUSE", "MS");
                for (JsonNode x : n.path("results")) {
                    out.printf(format, x.path("session").asText(), x.path("nas").asText(), x.path("destination").asText("-"),
                            x.path("sent").asText("-"), x.path("answer").asText(),
                            x.path("errorCause").isNull() ? "-" : x.path("errorCause").asText(),
                            String.format(java.util.Locale.ROOT, "%.1f", x.path("latencyMillis").asDouble()));
                }
            }
            for (JsonNode x : n.path("results")) {
                allAcked &= x.path("answer").asText().equals("ack");
            }
            out.flush();
            return allAcked ? 0 : 1;
        }
    }
}
