package io.nacgw.radius;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs FreeRADIUS's {@code radclient} (Debian freeradius-utils) with attributes on its standard input, for tests. */
public final class Radclient {
    public static final String BINARY = "/usr/bin/radclient";

    private Radclient() {
    }

    /** What radclient printed and how it exited. */
    public record Run(int exit, String output) {
        public boolean received(String code) {
            return output.contains("Received " + code);
        }
    }

    /**
     * Sends {@code attributes} (radclient's text form) as {@code command} (auth, acct, status) to host:port, waiting
     * {@code timeoutSeconds} per try with {@code retries} tries (generous: the machine may be loaded).
     */
    public static Run run(String host, int port, String command, String secret, String attributes, int timeoutSeconds,
                          int retries) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-x", "-t", Integer.toString(timeoutSeconds), "-r",
                Integer.toString(retries)));
        if (host.contains(":")) {
            cmd.add("-6");
        }
        cmd.addAll(List.of(host.contains(":") ? "[" + host + "]:" + port : host + ":" + port, command, secret));
        return run(cmd, attributes, timeoutSeconds * (retries + 1) + 30);
    }

    /** Runs {@code command} (radclient and its arguments), feeding it {@code attributes}; at most {@code waitSeconds}. */
    public static Run run(List<String> command, String attributes, int waitSeconds) throws IOException,
            InterruptedException {
        Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = proc.getOutputStream()) {
            in.write(attributes.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream s = proc.getInputStream()) {
            s.transferTo(out);
        }
        if (!proc.waitFor(waitSeconds, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("radclient did not finish");
        }
        return new Run(proc.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
