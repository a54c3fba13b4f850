package io.nacgw.gateway.cli;

import io.nacgw.gateway.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;


/** {@code nacgw version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the nacgw and Java versions.")
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println("nacgw " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ", Java " + Runtime.version() + ", "
                + System.getProperty("java.vm.name") + ")");
    }

    /** Feeds {@code --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"nacgw " + BuildInfo.version()};
        }
    }
}
