package io.nacgw.gateway.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an action on SIGHUP (Unix), the conventional "reload your configuration" signal. */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private Reloader() {
    }

    @SuppressWarnings("removal")
    static void onSighup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                log.info("SIGHUP: reloading configuration");
                action.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP is not available here ({}); restart to apply configuration changes", e.getMessage());
        }
    }
}
