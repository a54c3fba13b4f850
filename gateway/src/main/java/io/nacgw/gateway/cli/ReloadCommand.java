package io.nacgw.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code nacgw reload}: asks the running gateway of a data directory to re-read its configuration. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Ask the running gateway (found by DIR/nacgw.pid) to re-read its config file: RADIUS clients "
                + "change without a restart and without dropping requests in flight. Same as sending it SIGHUP. "
                + "An invalid config is refused by the gateway (see its log) and the running one stays.")
public final class ReloadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Path dataDir = options.load(spec.commandLine().getOut(), false).dataDir();
        Path pidFile = dataDir.resolve(io.nacgw.gateway.DataDirLock.FILE);
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no running gateway found: cannot read " + pidFile);
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            throw new IllegalStateException("no running gateway: process " + pid + " from " + pidFile + " is gone");
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("could not signal process " + pid + ": "
                    + new String(kill.getInputStream().readAllBytes()).strip());
        }
        spec.commandLine().getOut().println("asked gateway " + pid + " to reload " + options.configFile());
        return 0;
    }
}
