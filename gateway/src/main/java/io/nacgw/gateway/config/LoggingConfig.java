package io.nacgw.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code logging:} log levels by logger name (a package or class, e.g. {@code io.nacgw.radius: debug}; {@code root}
 * for everything), applied at start and by every reload. A logger that was in the map and is no longer there goes
 * back to the level the logging configuration file gave it.
 *
 * @param levels logger name → trace, debug, info, warn, error or off
 */
public record LoggingConfig(Map<String, String> levels) {
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    public LoggingConfig {
        Map<String, String> m = new LinkedHashMap<>();
        if (levels != null) {
            levels.forEach((logger, level) -> {
                String l = level == null ? "" : level.strip().toLowerCase(Locale.ROOT);
                if (!LEVELS.contains(l)) {
                    throw new IllegalArgumentException("logging.levels." + logger + " must be one of " + LEVELS
                            + ", got '" + level + "'");
                }
                if (logger.isBlank()) {
                    throw new IllegalArgumentException("logging.levels has an empty logger name");
                }
                m.put(logger.strip(), l);
            });
        }
        levels = java.util.Collections.unmodifiableMap(m);
    }

    static LoggingConfig defaults() {
        return new LoggingConfig(null);
    }
}
