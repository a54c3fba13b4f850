package io.nacgw.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code nacgw version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the nacgw and Java versions.")
public final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The build's version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        return buildProperty("version");
    }

    /** The commit the build was made from (12 hex digits), or "unknown" when built without git. */
    public static String commit() {
        return buildProperty("commit");
    }

    private static String buildProperty(String key) {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/nacgw/gateway/version.properties")) {
            if (in == null) { // built without resource filtering (an IDE)
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void run() {
        spec.commandLine().getOut().println("nacgw " + version() + " (commit " + commit() + ", Java " + Runtime.version() + ", "
                + System.getProperty("java.vm.name") + ")");
    }

    /** Feeds {@code --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"nacgw " + version()};
        }
    }
}
