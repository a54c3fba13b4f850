package io.nacgw.nacapi;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

final class RoutesTest {
    private final Route lookup = new Route(HttpMethod.GET, "/api/v1/devices/lookup", RouteGroup.PARTNER, r -> null);
    private final Route put = new Route(HttpMethod.PUT, "/api/v1/devices/{deviceId}", RouteGroup.ADMIN, r -> null);
    private final Routes routes = new Routes(List.of(put, lookup));

    @Test
    void literalBeatsTemplate_andTrailingSlashIsIgnored() {
        assertEquals(lookup, routes.match(HttpMethod.GET, "/api/v1/devices/lookup/").route());
        Routes.Match m = routes.match(HttpMethod.PUT, "/api/v1/devices/abc%2Ddef");
        assertEquals(put, m.route());
        assertEquals("abc-def", m.variables().get("deviceId"));
        assertEquals(RouteGroup.ADMIN, m.group());
    }

    @Test
    void customMethodSuffix_bindsThePrefix_andOtherVerbsDoNotMatch() {
        Route reauth = new Route(HttpMethod.POST, "/api/v1/sessions/{id}:reauthenticate", RouteGroup.ADMIN, r -> null);
        Route disconnect = new Route(HttpMethod.POST, "/api/v1/sessions/{id}:disconnect", RouteGroup.ADMIN, r -> null);
        Routes rs = new Routes(List.of(reauth, disconnect));
        Routes.Match m = rs.match(HttpMethod.POST, "/api/v1/sessions/s-12:ab:disconnect");
        assertEquals(disconnect, m.route());
        assertEquals("s-12:ab", m.variables().get("id"));
        assertEquals("s-1", rs.match(HttpMethod.POST, "/api/v1/sessions/s-1:reauthenticate").variables().get("id"));
        assertNull(rs.match(HttpMethod.POST, "/api/v1/sessions/s-1:bounce").route());
        assertNull(rs.match(HttpMethod.POST, "/api/v1/sessions/:disconnect").route(), "an empty id is no match");
        assertNull(rs.match(HttpMethod.POST, "/api/v1/sessions/s-1").route());
    }

    @Test
    void wrongMethod_listsAllowed_unknownPathListsNothing() {
        Routes.Match m = routes.match(HttpMethod.POST, "/api/v1/devices/lookup");
        assertNull(m.route());
        assertEquals(List.of("GET"), m.allowed());
        assertEquals(List.of(), routes.match(HttpMethod.GET, "/nothing").allowed());
        assertEquals(RouteGroup.PARTNER, routes.match(HttpMethod.GET, "/nothing").group());
    }
}
