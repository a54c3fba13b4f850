package io.nacgw.gateway.cli;

import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.TestConfig;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw run --demo}: the explain commands it prints work while the gateway runs, as printed. */
final class DemoTest {
    @TempDir
    Path dir;

    @Test
    void demo_printsExplainCommands_thatWorkOnTheRunningGateway() throws Exception {
        Path file = dir.resolve("nacgw.yaml");
        NacgwConfig config = TestConfig.gateway().metricsPort(TestConfig.freePort())
                .client("localhost", "127.0.0.0/8", "demo-secret-1").load(file);
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            StringWriter text = new StringWriter();
            Demo.seedAndShow(g, file, new PrintWriter(text));
            String out = text.toString();
            assertFalse(out.contains("after stopping the gateway"), out);
            List<String> explains = out.lines().map(String::strip).filter(l -> l.contains(" devices explain ")).toList();
            assertFalse(explains.isEmpty(), out);
            for (String line : explains) {
                assertTrue(line.endsWith(" --config " + file.toAbsolutePath()), line);
                String[] words = line.split(" ");
                String[] args = Arrays.copyOfRange(words, Arrays.asList(words).indexOf("devices"), words.length);
                Cli.Result r = Cli.run(args);
                assertEquals(0, r.status(), line + ": " + r.err());
                assertTrue(r.out().contains("rules:") || r.out().contains("verdict"), line + ": " + r.out());
            }
        }
    }
}
