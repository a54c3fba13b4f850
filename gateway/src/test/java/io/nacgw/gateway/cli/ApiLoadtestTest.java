package io.nacgw.gateway.cli;

import io.nacgw.core.testing.Needs;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.FakeApiServer;
import io.nacgw.loadgen.SyntheticDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw loadtest api} end to end against the load generator's fake HTTPS API (mutual TLS and Basic). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ApiLoadtestTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        Cli.Result c = Cli.run(args);
        return new Run(c.status(), c.out(), c.err());
    }

    private void selfSigned(Path cert, Path key, String subject, String ext) throws Exception {
        Needs.executable("openssl", "/usr/bin/openssl");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", subject,
                "-addext", ext).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void api_jsonWithClientCertificateAndBasic_allAnswersMatch_jsonReportWritten() throws Exception {
        Path sc = dir.resolve("s.pem");
        Path sk = dir.resolve("s.key");
        Path cc = dir.resolve("c.pem");
        Path ck = dir.resolve("c.key");
        selfSigned(sc, sk, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        selfSigned(cc, ck, "/CN=partner", "extendedKeyUsage=clientAuth");
        Path basic = Files.writeString(dir.resolve("basic"), "partner:cli-api-pass-7\n");
        SyntheticDevices set = new SyntheticDevices(6, 400, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (FakeApiServer s = new FakeApiServer(sc, sk, cc, set, Expectations.preset("allowlist"), FakeApiServer.Fault.NONE,
                "partner:cli-api-pass-7")) {
            Path json = dir.resolve("api.json");
            Run r = run("loadtest", "api", "--target", "https://127.0.0.1:" + s.port(), "--mode", "json", "--ca", sc.toString(),
                    "--client-cert", cc.toString(), "--client-key", ck.toString(), "--basic-file", basic.toString(),
                    "--count", "400", "--seed", "6", "--profile", "allowlist", "--connections", "4", "--requests", "300",
                    "--json", json.toString());
            assertEquals(0, r.status, r.out + r.err);
            assertTrue(r.out.contains("API json, 4 connection(s)"), r.out);
            assertTrue(r.out.contains("unknown unknown-deny="), r.out);
            assertTrue(Files.readString(json).contains("\"answers\":300"));
            assertFalse((r.out + r.err + Files.readString(json)).contains("cli-api-pass-7"));
        }
    }

    @Test
    void api_badArguments_exitTwo() throws Exception {
        assertEquals(2, run("loadtest", "api", "--target", "http://127.0.0.1:1", "--insecure", "--count", "10",
                "--requests", "1").status);
        assertEquals(2, run("loadtest", "api", "--target", "https://127.0.0.1:1", "--count", "10", "--requests", "1").status);
        assertEquals(2, run("loadtest", "api", "--target", "https://127.0.0.1:1", "--insecure", "--mode", "soap",
                "--count", "10", "--requests", "1").status);
    }
}
