package io.nacgw.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A credential (the OAuth2 client secret) that is never printed: {@link #toString()} shows {@code ***}. Loaded by
 * the caller from a file or an environment variable so it never sits in a config file or a command line.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a value; blank is refused because an empty client secret is always a configuration mistake. */
    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    /** Reads a secret from a file (UTF-8, surrounding whitespace and the trailing newline stripped). */
    public static Secret fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("the secret file " + file + " is empty");
        }
        return new Secret(text.strip());
    }

    /** Reads a secret from the environment variable {@code name}. */
    public static Secret fromEnv(String name) {
        return fromEnv(name, System.getenv());
    }

    /** As {@link #fromEnv(String)} over a given environment (for tests). */
    static Secret fromEnv(String name, Map<String, String> env) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + name + " holding the secret is not set");
        }
        return new Secret(v.strip());
    }

    /** The secret itself; only for building the token request, never for logs or messages. */
    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
