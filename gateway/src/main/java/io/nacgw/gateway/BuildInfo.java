package io.nacgw.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version and commit, from the filtered {@code version.properties} (for metrics, mdminfo and the CLI). */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The build's version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        return buildProperty("version");
    }

    /** The commit the build was made from (12 hex digits), or "unknown" when built without git. */
    public static String commit() {
        return buildProperty("commit");
    }

    private static String buildProperty(String key) {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/nacgw/gateway/version.properties")) {
            if (in == null) { // built without resource filtering (an IDE)
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
