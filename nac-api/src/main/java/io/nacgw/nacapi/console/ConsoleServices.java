package io.nacgw.nacapi.console;


import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator console and the admin routes it calls need from the gateway.
 *
 * @param enabled     serve {@code /console/} and accept its session cookie ({@code api.console.enabled})
 * @param idleTimeout a console session ends after this long without a request ({@code api.console.idleTimeout})
 * @param maxSessions console sessions open at once ({@code api.console.maxSessions})
 * @param decisions   the decision feed the live pages read (the audit log publishes to it)
 * @param operations  the gateway's admin operations by {@link AdminOperation} name; a missing one answers 404
 */
public record ConsoleServices(boolean enabled, Duration idleTimeout, int maxSessions, DecisionFeed decisions,
                              Map<String, AdminOperation> operations) {
    public ConsoleServices {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(decisions, "decisions");
        operations = Map.copyOf(operations);
    }

    /** No console and no operations: the admin routes answer 404, the feed stays empty. */
    public static ConsoleServices none() {
        return new ConsoleServices(false, Duration.ofMinutes(15), 100, new DecisionFeed(1), Map.of());
    }
}
