package io.nacgw.nacapi.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's pages, scripts and styles, read once from the jar (nothing from a CDN), and the headers every
 * console answer carries.
 */
public final class ConsoleAssets {
    /** Where the console is served. */
    public static final String PREFIX = "/console";
    static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    /**
     * Scripts and styles only from this origin, no inline script or style element, no plugins, no framing, forms
     * post only here; {@code connect-src 'self'} covers the JSON API and the event streams.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The security headers of every console answer (pages, assets, login, and the API answers to a session). */
    public static final Map<String, String> HEADERS = Map.of(
            "content-security-policy", CSP,
            "x-frame-options", "DENY",
            "x-content-type-options", "nosniff",
            "referrer-policy", "no-referrer",
            "cross-origin-opener-policy", "same-origin",
            "cross-origin-resource-policy", "same-origin",
            "strict-transport-security", "max-age=31536000",
            "cache-control", "no-store");

    /** One file: its bytes and content type. */
    public record Asset(byte[] body, String contentType) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /** Loads every asset; fails at start when one is missing from the jar. */
    public ConsoleAssets() {
        String html = "text/html; charset=utf-8";
        String js = "text/javascript; charset=utf-8";
        String css = "text/css; charset=utf-8";
        assets.put("login.html", new Asset(read("assets/login.html"), html));
        assets.put("app.html", new Asset(read("assets/app.html"), html));
        assets.put("forbidden.html", new Asset(read("assets/forbidden.html"), html));
        assets.put(PREFIX + "/assets/login.js", new Asset(read("assets/login.js"), js));
        assets.put(PREFIX + "/assets/console.js", new Asset(read("assets/console.js"), js));
        assets.put(PREFIX + "/assets/console.css", new Asset(read("assets/console.css"), css));
        assets.put(PREFIX + "/assets/uplot.js", new Asset(read(UPLOT + "uPlot.iife.min.js"), js));
        assets.put(PREFIX + "/assets/uplot.css", new Asset(read(UPLOT + "uPlot.min.css"), css));
    }

    /** A static file by its path ({@code /console/assets/...}), or null. */
    public Asset file(String path) {
        return path.startsWith(PREFIX + "/assets/") ? assets.get(path) : null;
    }

    /** The sign-in page. */
    public Asset loginPage() {
        return assets.get("login.html");
    }

    /** The console itself (signed in as an admin). */
    public Asset appPage() {
        return assets.get("app.html");
    }

    /** The page a signed-in partner gets (403). */
    public Asset forbiddenPage() {
        return assets.get("forbidden.html");
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
