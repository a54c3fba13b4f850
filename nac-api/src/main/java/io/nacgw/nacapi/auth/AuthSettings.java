package io.nacgw.nacapi.auth;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who may call the API.
 *
 * @param users                 HTTP Basic accounts (may be empty when only client certificates are used)
 * @param certificates          maps a verified client certificate to a caller ({@link ClientIdentityResolver#NONE}: none)
 * @param maxFailuresPerWindow  failed Basic logins per source IP per {@code failureWindow} before further attempts
 *                              are refused with 429 (default 10)
 * @param failureWindow         the rate-limit window (default 1 minute)
 * @param verifiedCacheTtl      how long a verified Basic credential is remembered so PBKDF2 runs once per
 *                              client, not per request (default 5 minutes; 0 disables)
 * @param maxUnverifiedInFlight PBKDF2 verifications of credentials never verified before that may run or wait at
 *                              once, across all sources (default 2); beyond it such a request gets 503 with
 *                              {@code Retry-After: 1}. Credentials that verified before (cached or not) are not
 *                              counted, so a guessing flood cannot starve known clients
 */
public record AuthSettings(List<ApiUser> users, ClientIdentityResolver certificates, int maxFailuresPerWindow,
                           Duration failureWindow, Duration verifiedCacheTtl, int maxUnverifiedInFlight) {
    public AuthSettings {
        users = List.copyOf(users);
        Objects.requireNonNull(certificates, "certificates");
        Set<String> names = new HashSet<>();
        for (ApiUser u : users) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("api.users defines '" + u.name() + "' twice");
            }
        }
        if (maxFailuresPerWindow < 1) {
            throw new IllegalArgumentException("api.auth.maxFailuresPerWindow must be at least 1");
        }
        if (failureWindow.isNegative() || failureWindow.isZero()) {
            throw new IllegalArgumentException("api.auth.failureWindow must be positive");
        }
        if (verifiedCacheTtl.isNegative()) {
            throw new IllegalArgumentException("api.auth.verifiedCacheTtl must not be negative");
        }
        if (maxUnverifiedInFlight < 1 || maxUnverifiedInFlight > 1024) {
            throw new IllegalArgumentException("api.auth.maxUnverifiedInFlight must be 1 to 1024, got "
                    + maxUnverifiedInFlight);
        }
    }

    /** As the canonical constructor, with the default {@code maxUnverifiedInFlight} (2). */
    public AuthSettings(List<ApiUser> users, ClientIdentityResolver certificates, int maxFailuresPerWindow,
                        Duration failureWindow, Duration verifiedCacheTtl) {
        this(users, certificates, maxFailuresPerWindow, failureWindow, verifiedCacheTtl, 2);
    }

    /** Basic accounts and certificates with the defaults above. */
    public static AuthSettings of(List<ApiUser> users, ClientIdentityResolver certificates) {
        return new AuthSettings(users, certificates, 10, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
}
