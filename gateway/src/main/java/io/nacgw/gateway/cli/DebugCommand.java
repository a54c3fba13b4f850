package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code nacgw debug --mac M | --nas N}: a live trace of one device's or one NAS's Access- and Accounting-Requests. */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = "Trace the running gateway's Access- and Accounting-Requests of one device (--mac) or one NAS "
                + "(--nas: client name, address or NAS-Identifier), like radiusd -X for one endpoint: the packet's "
                + "attributes (passwords, secrets and keys masked); for an Access-Request the identity found, every "
                + "rule of the profile and the answer; for an Accounting-Request the session found or created, what "
                + "was stored and the answer. Printed as they happen (the operations port is polled twice a second) until --seconds "
                + "pass or --events were traced. One trace at a time; it costs nothing when none runs.")
final class DebugCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Target target;
    @Option(names = "--seconds", defaultValue = "60", description = "Stop after this long (1-600, default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--events", defaultValue = "1000", description = "Stop after this many requests (1-10000, default ${DEFAULT-VALUE}).")
    int events;

    /** Whose requests. */
    static final class Target {
        @Option(names = "--mac", paramLabel = "M", description = "The device's MAC (Calling-Station-Id or User-Name), any notation.")
        String mac;
        @Option(names = "--nas", paramLabel = "N", description = "A RADIUS client name, NAS address or NAS-Identifier.")
        String nas;
    }

    @Override
    public Integer call() throws Exception {
        SessionsCommand.requireMac(target.mac);
        PrintWriter out = spec.commandLine().getOut();
        NacgwConfig c = options.load(out, false);
        if (!DevicesCommand.viaGateway(c)) {
            throw new IllegalStateException("no running gateway on the data directory " + c.dataDir()
                    + ": debug traces a running one");
        }
        OpsClient ops = OpsClient.of(c);
        JsonNode n = ops.post("/debug/start" + OpsClient.query("mac", target.mac == null ? null : target.mac.strip(),
                "nas", target.nas == null ? null : target.nas.strip(), "seconds", Integer.toString(seconds), "events",
                Integer.toString(events))).require(200, IllegalArgumentException::new).json();
        long session = n.path("session").asLong();
        Thread stopper = new Thread(() -> {
            try {
                ops.post("/debug/stop?session=" + session);
            } catch (Exception ignored) {
                // the gateway ends the session at its deadline anyway
            }
        }, "nacgw-debug-stop");
        Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C ends the trace in the gateway too
        out.println("tracing requests of " + (target.mac != null ? "mac " + target.mac : "nas " + target.nas)
                + " for " + seconds + " s or " + events + " requests (Ctrl-C stops)");
        out.flush();
        try {
            while (true) {
                n = ops.get("/debug/poll?session=" + session).require(200, IllegalStateException::new).json();
                for (JsonNode e : n.path("events")) {
                    out.print(e.asText());
                    out.println();
                }
                out.flush();
                if (n.path("ended").asBoolean()) {
                    out.println(n.path("emitted").asInt() + " request(s) traced"
                            + (n.path("dropped").asInt() > 0 ? ", " + n.path("dropped").asInt() + " not shown (over --events)" : ""));
                    out.flush();
                    return 0;
                }
                Thread.sleep(500);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs
            }
        }
    }
}
