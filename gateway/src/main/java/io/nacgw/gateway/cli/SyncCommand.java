package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nacgw sync status|run}: the running gateway's MDM sync, through its localhost operations port. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Show or start the running gateway's MDM sync (talks to its metrics port, metrics.host:metrics.port).",
        subcommands = {SyncCommand.Status.class, SyncCommand.Run.class})
final class SyncCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static JsonNode status(OpsClient ops) throws IOException, InterruptedException {
        return ops.get("/sync/status").require(200, IllegalStateException::new).json();
    }

    static void print(JsonNode n, PrintWriter out, String indent) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (e.getValue().isObject()) {
                out.println(indent + e.getKey() + ":");
                print(e.getValue(), out, indent + "  ");
            } else {
                out.printf("%s%-20s %s%n", indent, e.getKey(), e.getValue().asText());
            }
        }
        out.flush();
    }

    /** {@code nacgw sync status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Last success and failure, counts, the last run.")
    public static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            print(status(OpsClient.of(options.load(out, false))), out, "");
            return 0;
        }
    }

    /** {@code nacgw sync run}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Start a sync now and wait for its report (exit 0 when it succeeded).")
    public static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--full", description = "A full sync (the default): devices missing afterwards are retired.")
        boolean full;
        @Option(names = "--incremental", description = "Only devices changed since the last sync.")
        boolean incremental;
        @Option(names = "--no-wait", description = "Return once the sync has started.")
        boolean noWait;
        @Option(names = "--timeout", defaultValue = "PT2H", description = "How long to wait for the report (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            if (full && incremental) {
                throw new IllegalArgumentException("--full and --incremental exclude each other");
            }
            PrintWriter out = spec.commandLine().getOut();
            OpsClient ops = OpsClient.of(options.load(out, false));
            Instant before = Instant.now().minusSeconds(1);
            JsonNode n = ops.post("/sync/run?mode=" + (incremental ? "incremental" : "full"))
                    .require(202, IllegalStateException::new).json();
            out.println("sync started (" + n.path("mode").asText() + ")");
            out.flush();
            if (noWait) {
                return 0;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode s = status(ops);
                JsonNode last = s.path("lastRun");
                if (!s.path("running").asBoolean() && last.has("started")
                        && Instant.parse(last.path("started").asText()).isAfter(before)) {
                    print(last, out, "");
                    return "succeeded".equals(last.path("outcome").asText()) ? 0 : 1;
                }
                Thread.sleep(500); // polling the gateway for the end of the run
            }
            throw new IllegalStateException("the sync did not finish within " + timeout + " (see nacgw sync status)");
        }
    }
}
