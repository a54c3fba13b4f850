package io.nacgw.gateway.cli;

import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.Preflight;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nacgw run}: starts the gateway and serves until stopped (Ctrl-C or SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the gateway and serve until stopped. Without --config it uses DIR/nacgw.yaml in the data "
                + "directory (default ./data), writing the documented default config and the embedded SQLite store (nacgw.db) there "
                + "on first start.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--check", description = "Only validate: the config, the store (reachable, migrated), the "
            + "certificates (readable) and the ports (free); binds nothing, starts no sync, then exits (0 all OK, 1 a "
            + "check failed, 2 a config error).")
    boolean check;

    @Option(names = "--demo", description = "On first start (empty store) seed 1000 synthetic demo devices "
            + "(names DEMO-...) and print example requests that show an allow, a quarantine and a deny.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NacgwConfig config = options.load(out, true);
        if (check) {
            return check(config, out);
        }
        Path configFile = options.configFile();
        Gateway gateway = Gateway.start(config, Clock.systemUTC(),
                () -> new io.nacgw.gateway.config.ConfigLoader().load(configFile));
        out.println("nacgw ready: data " + config.dataDir() + ", " + gateway.compliance().residentCount()
                + " devices in memory, profiles " + gateway.policy().names());
        gateway.radius().ifPresent(r -> out.println("RADIUS: auth " + r.authAddress() + ", accounting " + r.acctAddress()
                + " (" + r.transport() + "), " + r.clients().size() + " clients"));
        gateway.api().ifPresent(a -> out.println("HTTPS API: " + a.address() + " (Cisco ISE MDM API /ciscoise/mdminfo/, "
                + "JSON /api/v1/, OpenAPI /api/v1/openapi.json)"));
        gateway.metricsServer().ifPresent(m -> out.println("metrics and health: http://" + m.address().getHostString() + ":"
                + m.address().getPort() + "/metrics, /health"));
        for (String w : io.nacgw.gateway.HeapCheck.warnings(config.index().maxDevices(), gateway.compliance().residentCount())) {
            out.println("warning: " + w);
            org.slf4j.LoggerFactory.getLogger(RunCommand.class).warn("{}", w);
        }
        if (demo) {
            Demo.seedAndShow(gateway, options.configFile(), out);
        }
        out.flush();
        Reloader.onSighup(gateway::reloadFromSource); // same outcome as `nacgw reload`, in the log
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close(); // also removes the pid file
            stopped.countDown();
        }, "nacgw-shutdown"));
        stopped.await();
        return 0;
    }

    private int check(NacgwConfig config, PrintWriter out) {
        boolean ok = true;
        for (Preflight.Check c : Preflight.of(config, Clock.systemUTC()).run()) {
            out.println(c);
            ok &= c.ok();
        }
        if (demo) {
            out.println("--demo ignored: a check seeds nothing");
        }
        out.println(ok ? "configuration OK" : "check failed: the gateway would not start as configured");
        out.flush();
        return ok ? 0 : 1;
    }
}
