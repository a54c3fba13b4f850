package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nacgw reload}: asks the running gateway to re-read its configuration and prints what it did. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Ask the running gateway to re-read its config file, through its localhost operations port "
                + "(metrics.host:metrics.port), and print what changed: policy profiles, RADIUS clients, API users "
                + "and log levels apply at once, without dropping requests in flight; keys that need a restart are named. An invalid "
                + "config is refused and the running one stays. Exit status: 0 applied, 1 refused or no gateway, "
                + "2 usage. SIGHUP does the same (the outcome then goes to the gateway's log).")
final class ReloadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NacgwConfig c;
        try {
            c = options.load(out, false);
        } catch (io.nacgw.gateway.config.ConfigException e) {
            // the gateway validates the same file the same way: it would refuse it too
            spec.commandLine().getErr().println("nacgw: reload refused, the gateway keeps its running configuration: "
                    + e.getMessage());
            return 1;
        }
        if (!io.nacgw.gateway.DataDirLock.isHeld(c.dataDir())) {
            throw new IllegalStateException("no running gateway on the data directory " + c.dataDir());
        }
        if (!c.metrics().enabled()) {
            throw new IllegalArgumentException("metrics.enabled is false, so the gateway has no operations port to ask;"
                    + " send it SIGHUP (kill -HUP $(cat " + c.dataDir().resolve(io.nacgw.gateway.DataDirLock.FILE)
                    + ")) and read its log");
        }
        OpsClient.Answer r = OpsClient.of(c).post("/reload",
                java.time.Duration.ofSeconds(60)); // a reload re-reads the file and rebuilds every profile
        JsonNode n = r.json();
        if (r.status() == 422) {
            spec.commandLine().getErr().println("nacgw: reload refused, the gateway keeps its running configuration: "
                    + n.path("refused").asText());
            return 1;
        }
        r.require(200, IllegalStateException::new);
        JsonNode applied = n.path("applied");
        JsonNode restart = n.path("restartNeeded");
        if (applied.isEmpty() && restart.isEmpty()) {
            out.println("reloaded " + options.configFile() + ": no changes");
        } else {
            out.println("reloaded " + options.configFile());
        }
        for (JsonNode a : applied) {
            out.println("  applied: " + a.asText());
        }
        for (JsonNode k : restart) {
            out.println("  needs a restart (the old value stays until then): " + k.asText());
        }
        out.flush();
        return 0;
    }
}
