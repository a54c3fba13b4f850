package io.nacgw.nacapi;

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
 */
public record AuthSettings(List<ApiUser> users, ClientIdentityResolver certificates, int maxFailuresPerWindow,
                           Duration failureWindow, Duration verifiedCacheTtl) {
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
    }

    /** Basic accounts and certificates with the defaults above. */
    public static AuthSettings of(List<ApiUser> users, ClientIdentityResolver certificates) {
        return new AuthSettings(users, certificates, 10, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
}
