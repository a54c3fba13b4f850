package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.gateway.config.NacgwConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nacgw sync status|run}: the running gateway's MDM sync, through its localhost operations port. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Show or start the running gateway's MDM sync (talks to its metrics port, metrics.host:metrics.port).",
        subcommands = {SyncCommand.Status.class, SyncCommand.Run.class})
public final class SyncCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String base(NacgwConfig c) {
        String host = c.metrics().settings().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + c.metrics().settings().port();
    }

    static HttpResponse<String> call(String url, String method) throws IOException, InterruptedException {
        return call(url, method, Duration.ofSeconds(10));
    }

    static HttpResponse<String> call(String url, String method, Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("no gateway answers on " + url + " (is it running, with metrics.enabled?)");
        }
    }

    static JsonNode status(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = call(base + "/sync/status", "GET");
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(n.path("error").asText("HTTP " + r.statusCode()));
        }
        return n;
    }

    static void print(JsonNode n, PrintWriter out, String indent) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (e.getValue().isObject()) {
                out.println(indent + e.getKey() + ":");
                print(e.getValue(), out, indent + "  ");
            } else {
                out.printf("%s%-20s %s%n", indent, e.getKey(), e.getValue().asText());
            }
        }
        out.flush();
    }

    /** {@code nacgw sync status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Last success and failure, counts, the last run.")
    public static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            print(status(base(options.load(out, false))), out, "");
            return 0;
        }
    }

    /** {@code nacgw sync run}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Start a sync now and wait for its report (exit 0 when it succeeded).")
    public static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--full", description = "A full sync (the default): devices missing afterwards are retired.")
        boolean full;
        @Option(names = "--incremental", description = "Only devices changed since the last sync.")
        boolean incremental;
        @Option(names = "--no-wait", description = "Return once the sync has started.")
        boolean noWait;
        @Option(names = "--timeout", defaultValue = "PT2H", description = "How long to wait for the report (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            if (full && incremental) {
                throw new IllegalArgumentException("--full and --incremental exclude each other");
            }
            PrintWriter out = spec.commandLine().getOut();
            String base = base(options.load(out, false));
            Instant before = Instant.now().minusSeconds(1);
            HttpResponse<String> r = SyncCommand.call(base + "/sync/run?mode=" + (incremental ? "incremental" : "full"), "POST");
            JsonNode n = JSON.readTree(r.body());
            if (r.statusCode() != 202) {
                throw new IllegalStateException(n.path("error").asText("HTTP " + r.statusCode()));
            }
            out.println("sync started (" + n.path("mode").asText() + ")");
            out.flush();
            if (noWait) {
                return 0;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode s = status(base);
                JsonNode last = s.path("lastRun");
                if (!s.path("running").asBoolean() && last.has("started")
                        && Instant.parse(last.path("started").asText()).isAfter(before)) {
                    print(last, out, "");
                    return "succeeded".equals(last.path("outcome").asText()) ? 0 : 1;
                }
                Thread.sleep(500); // polling the gateway for the end of the run
            }
            throw new IllegalStateException("the sync did not finish within " + timeout + " (see nacgw sync status)");
        }
    }
}
