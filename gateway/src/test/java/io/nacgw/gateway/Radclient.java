package io.nacgw.gateway;

import io.nacgw.core.testing.Needs;

/** FreeRADIUS's radclient as the NAS in end-to-end tests (skips locally, fails in CI when it is missing). */
public final class Radclient {
    private Radclient() {
    }

    /** A MAB Access-Request for {@code mac} (with Message-Authenticator) to 127.0.0.1:{@code port}; radclient's output. */
    public static String mab(int port, String secret, String mac) throws Exception {
        Needs.executable("freeradius-utils", io.nacgw.radius.Radclient.BINARY);
        return io.nacgw.radius.Radclient.run("127.0.0.1", port, "auth", secret, "User-Name = \"" + mac
                + "\", User-Password = \"" + mac + "\", Calling-Station-Id = \"" + mac
                + "\", Service-Type = Call-Check, Message-Authenticator = 0x00\n", 4, 2).output();
    }
}
