package io.nacgw.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Applies {@code logging.levels} to logback, live: a logger set by an earlier apply and absent now gets back the
 * level it had before nacgw first touched it (the logging configuration file's).
 */
final class LogLevels {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(LogLevels.class);
    /** Levels loggers had before the first apply (null: inherited), to restore when a key is removed. */
    private final Map<String, Level> original = new HashMap<>();
    private Map<String, String> applied = Map.of();

    /** Sets every level in {@code levels}, restores loggers no longer named; returns a summary of the changes. */
    synchronized String apply(Map<String, String> levels) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return "not applied: the logging backend is not logback";
        }
        StringBuilder changes = new StringBuilder();
        for (Map.Entry<String, String> e : levels.entrySet()) {
            if (Objects.equals(applied.get(e.getKey()), e.getValue())) {
                continue;
            }
            Logger l = ctx.getLogger(e.getKey().equals("root") ? Logger.ROOT_LOGGER_NAME : e.getKey());
            original.putIfAbsent(e.getKey(), l.getLevel());
            l.setLevel(Level.toLevel(e.getValue()));
            append(changes, e.getKey() + "=" + e.getValue());
        }
        for (String name : applied.keySet()) {
            if (!levels.containsKey(name)) {
                Logger l = ctx.getLogger(name.equals("root") ? Logger.ROOT_LOGGER_NAME : name);
                l.setLevel(original.remove(name));
                append(changes, name + " back to " + (l.getLevel() == null ? "inherited" : l.getLevel()));
            }
        }
        applied = Map.copyOf(levels);
        if (changes.length() > 0) {
            log.info("log levels: {}", changes);
        }
        return changes.length() == 0 ? "unchanged" : changes.toString();
    }

    private static void append(StringBuilder sb, String s) {
        sb.append(sb.length() == 0 ? "" : ", ").append(s);
    }
}
