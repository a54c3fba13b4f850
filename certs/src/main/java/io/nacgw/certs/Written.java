package io.nacgw.certs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file an operation wrote, for the CLI to print: {@code what} is a short description such as
 * "CA certificate"; {@code secret} tells that the file holds a private key (written owner-only).
 */
public record Written(String what, Path path, boolean secret) {
    public Written {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
        return what + ": " + path + (secret ? " (private, owner-only)" : "");
    }
}
