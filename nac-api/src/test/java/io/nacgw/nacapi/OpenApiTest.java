package io.nacgw.nacapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps openapi.json true: its operations are exactly the running router's JSON routes, and it is what is served. */
final class OpenApiTest {

    @Test
    void openApiPaths_equalTheRoutersJsonRoutes() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            TreeSet<String> routes = new TreeSet<>();
            for (Route r : gw.server.routes()) {
                if (r.template().startsWith(JsonApi.BASE + "/")) {
                    routes.add(r.method().name() + " " + r.template());
                }
            }
            String served = gw.get(gw.client(gw.partnerCert), "/api/v1/openapi.json", null).body();
            JsonNode paths = new ObjectMapper().readTree(served).get("paths");
            TreeSet<String> documented = new TreeSet<>();
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String path = it.next();
                for (Iterator<String> ops = paths.get(path).fieldNames(); ops.hasNext(); ) {
                    String op = ops.next();
                    if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(op)) {
                        documented.add(op.toUpperCase(Locale.ROOT) + " " + path);
                    }
                }
            }
            assertTrue(routes.size() >= 6, routes.toString());
            assertEquals(routes, documented);
        }
    }

    @Test
    void managementStateEnum_listsEveryState() throws Exception {
        try (java.io.InputStream in = OpenApiTest.class.getResourceAsStream("openapi.json")) {
            JsonNode spec = new ObjectMapper().readTree(in);
            TreeSet<String> documented = new TreeSet<>();
            spec.findValues("managementState").forEach(n -> n.path("enum").forEach(v -> documented.add(v.asText())));
            TreeSet<String> states = new TreeSet<>();
            for (io.nacgw.core.device.ManagementState m : io.nacgw.core.device.ManagementState.values()) {
                states.add(m.wireName());
            }
            assertEquals(states, documented);
        }
    }
}
