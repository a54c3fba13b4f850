package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code nacgw run --config FILE} as a separate JVM (the test class path, so no packaged jar is needed), for tests
 * that must kill the process the way an operator's or the kernel's {@code kill -9} would.
 */
final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final int apiPort;

    private GatewayProcess(Process process, int apiPort) {
        this.process = process;
        this.apiPort = apiPort;
    }

    /** Starts the gateway and waits until it prints its HTTPS address; its log goes to {@code log} (appended). */
    static GatewayProcess start(Path config, Path log, String maxHeap, long timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                // the gateway's own logging (INFO: store opened, index loaded in N ms), not the tests' WARN-only one
                "-Dlogback.configurationFile=logback.xml",
                Main.class.getName(), "run", "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readApiPort(p));
        try {
            return new GatewayProcess(p, port.get(timeoutSeconds, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the gateway did not start within " + timeoutSeconds + " s; see " + log, e);
        } catch (java.util.concurrent.ExecutionException e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(e.getCause().getMessage() + "; see " + log, e);
        }
    }

    /** Reads stdout until the line {@code HTTPS API: /127.0.0.1:PORT (...)}, then drains the rest in the background. */
    private static int readApiPort(Process p) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("HTTPS API: ")) {
                    String addr = line.substring("HTTPS API: ".length()).split(" ")[0];
                    int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
                    Thread drain = new Thread(() -> drain(out), "gateway-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return port;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading the gateway's output: " + e.getMessage(), e);
        }
        throw new IllegalStateException("the gateway exited before serving HTTPS (status "
                + p.exitValue() + ")");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe from filling
            }
        } catch (IOException ignored) {
            // the process died
        }
    }

    int apiPort() {
        return apiPort;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook runs, nothing is flushed by the JVM. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait: the orderly stop an operator does with Ctrl-C or systemd. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
