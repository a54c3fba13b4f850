package io.nacgw.sync;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token answers the endpoint may give, through a whole run against the fake endpoint. */
final class TokenSourceTest {

    private static SyncReport runWithTokenAnswer(SyncFixture f, String body) throws Exception {
        f.graph.tokenInterceptor = (n, ex) -> {
            FakeGraph.respond(ex, 200, body);
            return true;
        };
        return f.sync.runFull();
    }

    @Test
    void token_expiresInAsString_accepted() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            f.graph.validTokens.add("legacy-token");
            SyncReport r = runWithTokenAnswer(f, "{\"token_type\":\"Bearer\",\"expires_in\":\"3599\","
                    + "\"access_token\":\"legacy-token\"}");
            assertTrue(r.succeeded(), r.error());
        }
    }

    @Test
    void token_answerWithoutAccessToken_failsClearly() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            SyncReport r = runWithTokenAnswer(f, "{\"token_type\":\"Bearer\",\"expires_in\":3599}");
            assertEquals("the token endpoint " + f.graph.tokenUrl + " answered without an access_token", r.error());
        }
    }

    @Test
    void token_answerWithoutExpiry_failsClearly() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            SyncReport r = runWithTokenAnswer(f, "{\"token_type\":\"Bearer\",\"access_token\":\"t\"}");
            assertEquals("the token endpoint " + f.graph.tokenUrl + " answered without expires_in", r.error());
        }
    }

    @Test
    void token_notBearer_refused() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            SyncReport r = runWithTokenAnswer(f, "{\"token_type\":\"pop\",\"expires_in\":3599,\"access_token\":\"t\"}");
            assertEquals("the token endpoint " + f.graph.tokenUrl + " issued a token of type 'pop', expected Bearer",
                    r.error());
        }
    }

    @Test
    void token_malformedJson_failsClearly() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            SyncReport r = runWithTokenAnswer(f, "{\"access_token\": ");
            assertTrue(r.error().startsWith("the token endpoint " + f.graph.tokenUrl + " sent malformed JSON: "),
                    r.error());
            assertEquals(List.of(), f.sleeper.delays);
        }
    }

    @Test
    void token_shortLifetime_refreshedAfterHalfOfIt() throws Exception {
        try (SyncFixture f = new SyncFixture()) {
            f.graph.setDevices(SyncFixture.devices(1));
            f.graph.expiresIn = 60; // margin becomes 30 s, not 60
            assertTrue(f.sync.runFull().succeeded());
            f.clock.advance(java.time.Duration.ofSeconds(29));
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(1, f.graph.tokensIssued.get());
            f.clock.advance(java.time.Duration.ofSeconds(1));
            assertTrue(f.sync.runFull().succeeded());
            assertEquals(2, f.graph.tokensIssued.get());
        }
    }
}
