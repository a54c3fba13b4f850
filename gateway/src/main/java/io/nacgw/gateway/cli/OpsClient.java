package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.gateway.config.NacgwConfig;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The running gateway's localhost operations port ({@code metrics.host:metrics.port}) as the commands talk to it:
 * one request, its JSON answer, and the gateway's {@code error} text when it refused.
 */
final class OpsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String base;

    private OpsClient(String base) {
        this.base = base;
    }

    /** The operations port of the gateway configured by {@code c} (a wildcard host is asked on loopback). */
    static OpsClient of(NacgwConfig c) {
        String host = c.metrics().settings().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return new OpsClient("http://" + host + ":" + c.metrics().settings().port());
    }

    /** {@code ?name=value&…} of the pairs whose value is not null, URL-encoded; empty when none. */
    static String query(String... namesAndValues) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                q.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    /** What the gateway answered. */
    record Answer(int status, String body, JsonNode json) {
        /** The gateway's {@code error} text, or the status. */
        String error() {
            return json.path("error").asText("HTTP " + status);
        }

        /** This answer when its status is {@code ok}; else {@code failure} of {@link #error()} is thrown. */
        Answer require(int ok, Function<String, ? extends RuntimeException> failure) {
            if (status != ok) {
                throw failure.apply(error());
            }
            return this;
        }
    }

    /** GET {@code pathAndQuery} (10 s at most). */
    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, DEFAULT_TIMEOUT);
    }

    /** POST {@code pathAndQuery} (10 s at most). */
    Answer post(String pathAndQuery) throws IOException, InterruptedException {
        return send("POST", pathAndQuery, DEFAULT_TIMEOUT);
    }

    /** POST {@code pathAndQuery}, waiting up to {@code timeout} for the answer. */
    Answer post(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        return send("POST", pathAndQuery, timeout);
    }

    private Answer send(String method, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        String url = base + pathAndQuery;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("no gateway answers on " + url + " (is it running, with metrics.enabled?)");
        }
        return new Answer(r.statusCode(), r.body(), JSON.readTree(r.body()));
    }
}
