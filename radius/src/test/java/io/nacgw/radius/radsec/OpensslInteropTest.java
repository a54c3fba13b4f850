package io.nacgw.radius.radsec;

import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.nacgw.radius.radsec.RadSecFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RadSec listener's TLS as OpenSSL's {@code s_client} sees it: TLS 1.1 and a missing client certificate refused. */
final class OpensslInteropTest {
    @TempDir
    Path dir;

    private static String sClient(RadSecFixture f, String... args) throws IOException, InterruptedException {
        Path openssl = Needs.executable("openssl", "/usr/bin/openssl");
        List<String> cmd = new ArrayList<>(List.of(openssl.toString(), "s_client", "-connect",
                "127.0.0.1:" + f.radsec.address().getPort(), "-CAfile", f.ca.layout().caCertificate().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void tls11_isRefused_tls13WithTheNasCertificate_isAccepted() throws Exception {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            String old = sClient(f, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert", f.nasCert.certificateFile()
                    .toString(), "-key", f.nasCert.keyFile().toString());
            assertTrue(old.contains("alert") || old.contains("no protocols available"), old);
            await("TLS 1.1 refused", () -> f.radsec.stats().refusals(Refusal.TLS_FAILED) == 1);

            String ok = sClient(f, "-tls1_3", "-cert", f.nasCert.certificateFile().toString(), "-key",
                    f.nasCert.keyFile().toString());
            assertTrue(ok.contains("TLSv1.3") && ok.contains("Verify return code: 0 (ok)"), ok);
            await("established", () -> f.radsec.stats().established() == 1);
        }
    }

    @Test
    void noClientCertificate_isRefused() throws Exception {
        try (RadSecFixture f = new RadSecFixture(dir)) {
            String out = sClient(f, "-tls1_2");
            assertTrue(out.contains("alert") || out.contains("handshake failure"), out);
            await("no certificate", () -> f.radsec.stats().refusals(Refusal.NO_CERTIFICATE) == 1);
            assertEquals(0, f.radsec.stats().established());
        }
    }
}
