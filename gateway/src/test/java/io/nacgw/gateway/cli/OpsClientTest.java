package io.nacgw.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The CLI's operations-port client: query strings and refusals. */
final class OpsClientTest {
    @Test
    void query_encodesValues_andLeavesOutNulls() {
        assertEquals("", OpsClient.query());
        assertEquals("", OpsClient.query("mac", null));
        assertEquals("?mac=aa%3Abb+cc&limit=5", OpsClient.query("mac", "aa:bb cc", "nas", null, "limit", "5"));
    }

    @Test
    void require_passesTheExpectedStatus_andThrowsTheGatewaysErrorOtherwise() throws Exception {
        ObjectMapper json = new ObjectMapper();
        OpsClient.Answer ok = new OpsClient.Answer(202, "{}", json.readTree("{}"));
        assertSame(ok, ok.require(202, IllegalStateException::new));
        OpsClient.Answer refused = new OpsClient.Answer(409, "{\"error\":\"node b leads\"}",
                json.readTree("{\"error\":\"node b leads\"}"));
        assertEquals("node b leads", assertThrows(IllegalArgumentException.class,
                () -> refused.require(200, IllegalArgumentException::new)).getMessage());
        OpsClient.Answer bare = new OpsClient.Answer(500, "", json.readTree(""));
        assertEquals("HTTP 500", assertThrows(IllegalStateException.class,
                () -> bare.require(200, IllegalStateException::new)).getMessage());
    }
}
