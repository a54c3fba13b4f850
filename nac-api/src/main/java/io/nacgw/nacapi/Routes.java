package io.nacgw.nacapi;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Every route of the API, matched by method and path. The OpenAPI test walks this list. */
public final class Routes {
    /** A match, or the methods the path would accept (for 405), or nothing (404). */
    public record Match(Route route, Map<String, String> variables, List<String> allowed) {
        public RouteGroup group() {
            return route != null ? route.group() : RouteGroup.PARTNER;
        }
    }

    private final List<Route> routes;
    /** Each route's template, split once: matched once per request, by authentication. */
    private final String[][] templates;
    private final boolean[] literal;

    public Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.templates = new String[this.routes.size()][];
        this.literal = new boolean[this.routes.size()];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = this.routes.get(i).templateSegments();
            literal[i] = this.routes.get(i).template().indexOf('{') < 0;
        }
    }

    public List<Route> all() {
        return routes;
    }

    public Match match(HttpMethod method, String path) {
        String[] segments = Paths.segments(path);
        TreeSet<String> allowed = null;
        // literal templates first, so /devices/lookup wins over /devices/{deviceId} (also for 405's Allow)
        for (int pass = 0; pass < 2 && allowed == null; pass++) {
            for (int i = 0; i < templates.length; i++) {
                if (literal[i] == (pass == 1)) {
                    continue;
                }
                Route r = routes.get(i);
                Map<String, String> vars = Route.match(templates[i], segments);
                if (vars == null) {
                    continue;
                }
                if (r.method().equals(method)) {
                    return new Match(r, vars, List.of());
                }
                if (allowed == null) {
                    allowed = new TreeSet<>();
                }
                allowed.add(r.method().name());
            }
        }
        return new Match(null, Map.of(), allowed == null ? List.of() : new ArrayList<>(allowed));
    }
}
