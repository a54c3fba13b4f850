package io.nacgw.nacapi;

import java.util.Objects;

/**
 * An authenticated caller.
 *
 * @param name    user name or certificate subject, for logs
 * @param role    what it may do
 * @param profile the access-policy profile its decisions use (null: the policy's default profile)
 */
public record ApiPrincipal(String name, ApiRole role, String profile) {
    public ApiPrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
