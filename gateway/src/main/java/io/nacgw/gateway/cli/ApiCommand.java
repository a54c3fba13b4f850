package io.nacgw.gateway.cli;

import io.nacgw.nacapi.auth.PasswordHash;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code nacgw api ...}: helpers for the HTTPS API's configuration. */
@Command(name = "api", mixinStandardHelpOptions = true, description = "HTTPS API helpers.",
        subcommands = {ApiCommand.HashPassword.class})
final class ApiCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code nacgw api hash-password}. */
    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Print the PBKDF2 hash of a password for api.users[].passwordHash. The password comes from "
                    + "--password-file, --password-env or the terminal (asked twice), never from the command line.")
    public static final class HashPassword implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.ArgGroup(exclusive = true)
        PasswordSource source;

        @Override
        public Integer call() {
            char[] pw = PasswordSource.read(source, "API password", spec.commandLine().getErr());
            try {
                if (pw.length < 12) {
                    throw new IllegalArgumentException("use at least 12 characters for an API password");
                }
                spec.commandLine().getOut().println(PasswordHash.create(pw).encoded());
                return 0;
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
    }
}
