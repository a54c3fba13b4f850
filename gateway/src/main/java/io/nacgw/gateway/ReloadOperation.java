package io.nacgw.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.MetricsServer;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /reload} on the localhost operations port: re-reads the config file and answers what was applied, what
 * needs a restart, or why the reload was refused (422, nothing changed). {@code nacgw reload} and SIGHUP use it.
 */
final class ReloadOperation {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReloadOperation.class);
    private static final JsonFactory JSON = new JsonFactory();

    private ReloadOperation() {
    }

    static MetricsServer.Operation of(Gateway gateway, Supplier<NacgwConfig> source) {
        return (method, query) -> {
            if (!method.equals("POST")) {
                return new MetricsServer.Reply(405, "{\"error\":\"use POST\"}");
            }
            if (source == null) {
                return new MetricsServer.Reply(404, "{\"error\":\"this gateway was started without a config file to re-read\"}");
            }
            return reply(run(gateway, source));
        };
    }

    /** The outcome of one reload: a result, or the reason it was refused. */
    record Outcome(ReloadResult result, String refused) {
    }

    /** Re-reads and applies; a bad file or a contradiction is a refusal, logged, never an exception. */
    static Outcome run(Gateway gateway, Supplier<NacgwConfig> source) {
        try {
            return new Outcome(gateway.reload(source.get()), null);
        } catch (io.nacgw.gateway.config.ConfigException | IllegalArgumentException | IllegalStateException e) {
            log.error("reload refused, keeping the running configuration: {}", e.getMessage());
            return new Outcome(null, e.getMessage());
        }
    }

    static MetricsServer.Reply reply(Outcome o) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (o.refused() != null) {
                g.writeStringField("refused", o.refused());
            } else {
                array(g, "applied", o.result().applied());
                array(g, "restartNeeded", o.result().restartNeeded());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MetricsServer.Reply(o.refused() != null ? 422 : 200, w.toString());
    }

    private static void array(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
