package io.nacgw.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nacgw} command line. */
@Command(name = "nacgw", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Network access control compliance gateway: answers NAC appliances (HTTPS) and network gear "
                + "(RADIUS) from a cached copy of every device's MDM compliance state.",
        subcommands = {RunCommand.class, ReloadCommand.class, SyncCommand.class, SessionsCommand.class, NasCommand.class, DecisionsCommand.class, DebugCommand.class, ApiCommand.class, DevicesCommand.class, StoreCommand.class, CertsCommand.class, LoadtestCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (0 ok, 1 failed, 2 usage or configuration error). */
    public static int execute(String... args) {
        if (args.length == 0 || !args[0].equals("run")) {
            quietLogs(); // one-shot commands print their own results; INFO lines would only be noise
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Failures());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --format CSV, --mode ISE-V3: what an operator types
        return cl.execute(args);
    }

    private static void quietLogs() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger && System.getProperty("logback.configurationFile") == null) {
            ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
