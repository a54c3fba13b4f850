package io.nacgw.gateway;

import io.nacgw.core.testing.Needs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** FreeRADIUS's radclient as the NAS in end-to-end tests (skips locally, fails in CI when it is missing). */
public final class Radclient {
    private Radclient() {
    }

    /** A MAB Access-Request for {@code mac} (with Message-Authenticator) to 127.0.0.1:{@code port}; radclient's output. */
    public static String mab(int port, String secret, String mac) throws Exception {
        Process p = new ProcessBuilder(Needs.executable("freeradius-utils", "/usr/bin/radclient").toString(), "-x", "-r",
                "2", "-t", "4", "127.0.0.1:" + port, "auth", secret).redirectErrorStream(true).start();
        p.getOutputStream().write(("User-Name = \"" + mac + "\", User-Password = \"" + mac + "\", Calling-Station-Id = \""
                + mac + "\", Service-Type = Call-Check, Message-Authenticator = 0x00\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "radclient finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
