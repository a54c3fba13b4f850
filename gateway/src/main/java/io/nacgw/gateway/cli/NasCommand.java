package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nacgw nas list}: the running gateway's RADIUS clients and their activity (the console's NAS page). */
@Command(name = "nas", mixinStandardHelpOptions = true,
        description = "Show the running gateway's RADIUS clients with their decisions and last request since start "
                + "(talks to its metrics port, metrics.host:metrics.port).",
        subcommands = {NasCommand.ListNas.class})
final class NasCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code nacgw nas list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Name, address, vendor, profile, "
            + "accepts / quarantines / rejects and the last request of each configured RADIUS client.")
    public static final class ListNas implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--json", description = "The gateway's JSON as is.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            OpsClient.Answer r = OpsClient.of(options.load(out, false)).get("/nas/clients")
                    .require(200, IllegalStateException::new);
            JsonNode n = r.json();
            if (json) {
                out.println(r.body());
                return 0;
            }
            out.printf("%-20s %-20s %-8s %-14s %9s %10s %8s  %s%n", "NAME", "ADDRESS", "VENDOR", "PROFILE", "ACCEPTS",
                    "QUARANTINE", "REJECTS", "LAST REQUEST");
            for (JsonNode c : n.path("clients")) {
                out.printf("%-20s %-20s %-8s %-14s %9d %10d %8d  %s%n", c.path("name").asText(), c.path("address").asText(),
                        c.path("vendor").asText(), c.path("profile").asText("-"), c.path("accepts").asLong(),
                        c.path("quarantines").asLong(), c.path("rejects").asLong(), c.path("lastRequest").asText("-"));
            }
            return 0;
        }
    }
}
