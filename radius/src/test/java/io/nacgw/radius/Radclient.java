package io.nacgw.radius;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs FreeRADIUS's {@code radclient} (Debian freeradius-utils) with attributes on its standard input, for tests. */
public final class Radclient {
    public static final String PATH = "/usr/bin/radclient";

    private Radclient() {
    }

    /** What radclient printed and how it exited. */
    public record Run(int exit, String output) {
        public boolean received(String code) {
            return output.contains("Received " + code);
        }
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
