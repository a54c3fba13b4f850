package io.nacgw.nacapi;

import io.nacgw.core.testing.Needs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl binary (missing: the test is skipped locally and fails with CI=true). */
final class Curl {
    static final Path BINARY = Path.of("/usr/bin/curl");

    /** Exit code, HTTP status (0 when none) and body. */
    record Result(int exit, int status, String body, String stderr) {
    }

    private Curl() {
    }

    static Result run(List<String> args) throws IOException, InterruptedException {
        Needs.executable("curl", BINARY.toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY.toString());
        cmd.add("-sS");
        cmd.add("--max-time");
        cmd.add("20");
        cmd.add("-w");
        cmd.add("\n%{http_code}");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        String s = new String(out, StandardCharsets.UTF_8);
        int nl = s.lastIndexOf('\n');
        int status = 0;
        try {
            status = Integer.parseInt(s.substring(nl + 1).strip());
        } catch (NumberFormatException e) {
            status = 0;
        }
        return new Result(p.exitValue(), status, nl < 0 ? "" : s.substring(0, nl), new String(err, StandardCharsets.UTF_8));
    }
}
