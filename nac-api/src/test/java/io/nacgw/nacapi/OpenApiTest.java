package io.nacgw.nacapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps openapi.json true: its operations are exactly the router's JSON routes. */
final class OpenApiTest {

    @Test
    void openApiPaths_equalTheRoutersJsonRoutes() throws Exception {
        JsonApi api = new JsonApi(null, AccessPolicy.of(List.of(Profile.builder("corp").build()), "corp"),
                Clock.systemUTC(), Runnable::run, 10, 5, new ApiMetrics());
        TreeSet<String> routes = new TreeSet<>();
        for (Route r : api.routes()) {
            routes.add(r.method().name() + " " + r.template());
        }
        TreeSet<String> documented = new TreeSet<>();
        JsonNode paths = new ObjectMapper().readTree(JsonApi.loadOpenApi()).get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> ops = paths.get(path).fieldNames(); ops.hasNext(); ) {
                String op = ops.next();
                if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(op)) {
                    documented.add(op.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertEquals(routes, documented);
    }
}
