package io.nacgw.nacapi;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed Basic logins are rate-limited per source address, before the password is even checked. */
final class LoginRateLimitTest {

    @Test
    void repeatedFailures_are429WithRetryAfter_evenForTheRightPassword() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            HttpClient c = gw.client(null);
            String good = TestGateway.basic("ise", TestGateway.PARTNER_PASSWORD);
            assertEquals(200, gw.get(c, "/ciscoise/mdminfo", good).statusCode());
            for (int i = 0; i < 10; i++) {
                assertEquals(401, gw.get(c, "/ciscoise/mdminfo", TestGateway.basic("ise", "wrong" + i)).statusCode());
            }
            HttpResponse<String> limited = gw.get(c, "/ciscoise/mdminfo", TestGateway.basic("ise", "wrong-again"));
            assertEquals(429, limited.statusCode());
            long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
            assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            // a password not verified before is not checked while the source is blocked
            HttpResponse<String> admin = gw.get(c, "/ciscoise/mdminfo", TestGateway.basic("ops", TestGateway.ADMIN_PASSWORD));
            assertEquals(429, admin.statusCode());
            assertTrue(gw.server.stats().authFailures() >= 12);
        }
    }
}
