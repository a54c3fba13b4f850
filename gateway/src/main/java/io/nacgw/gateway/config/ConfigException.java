package io.nacgw.gateway.config;

/** The configuration is unusable; the message names the key and what is wrong. Start-up stops. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
