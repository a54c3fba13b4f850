package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP Basic account: a NAC appliance (partner) or an operator/sync job (admin).
 *
 * @param name     user name (no ':' per RFC 7617)
 * @param password its PBKDF2 hash, never plaintext
 * @param role     what it may do
 * @param profile  the access-policy profile its answers use (null: the policy's default)
 */
public record ApiUser(String name, PasswordHash password, ApiRole role, String profile) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public ApiUser {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(role, "role");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("api.users[].name must be 1-64 of A-Z a-z 0-9 . _ @ -, got '" + name + "'");
        }
    }

    ApiPrincipal principal() {
        return new ApiPrincipal(name, role, profile);
    }
}
