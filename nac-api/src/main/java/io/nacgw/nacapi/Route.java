package io.nacgw.nacapi;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One route: method and path template ({@code {name}} matches one segment), who may call it, and its handler.
 * A streaming route is answered by a handler in front of the aggregator and has no {@link #handler()}.
 */
public record Route(HttpMethod method, String template, RouteGroup group, Handler handler) {

    /** Answers a request; runs on the event loop and must not block. */
    @FunctionalInterface
    public interface Handler {
        CompletionStage<ApiResponse> handle(ApiRequest request);
    }

    boolean streaming() {
        return handler == null;
    }

    /** Path variables when {@code segments} match the template, else null. */
    Map<String, String> match(String[] segments) {
        return match(templateSegments(), segments);
    }

    /** As {@link #match(String[])} with the template already split (the router keeps them split). */
    static Map<String, String> match(String[] parts, String[] segments) {
        if (parts.length != segments.length) {
            return null;
        }
        Map<String, String> vars = null;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int close = p.length() > 1 && p.charAt(0) == '{' ? p.indexOf('}') : -1;
            if (close > 1) {
                // {name} is the whole segment; {name}:verb (custom methods, e.g. sessions/{id}:disconnect) a prefix
                String suffix = p.substring(close + 1);
                String seg = segments[i];
                if (seg.length() <= suffix.length() || !seg.endsWith(suffix)) {
                    return null;
                }
                if (vars == null) {
                    vars = new java.util.HashMap<>(4);
                }
                vars.put(p.substring(1, close), seg.substring(0, seg.length() - suffix.length()));
            } else if (!p.equals(segments[i])) {
                return null;
            }
        }
        return vars == null ? Map.of() : vars;
    }

    String[] templateSegments() {
        return Paths.segments(template);
    }
}
