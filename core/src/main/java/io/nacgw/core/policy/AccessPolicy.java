package io.nacgw.core.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The set of network profiles from config, looked up by name. Immutable. */
public final class AccessPolicy {
    private final Map<String, Profile> profiles;
    private final String defaultProfile;

    private AccessPolicy(Map<String, Profile> profiles, String defaultProfile) {
        this.profiles = profiles;
        this.defaultProfile = defaultProfile;
    }

    /** A policy of the given profiles; {@code defaultProfile} must be one of them. */
    public static AccessPolicy of(List<Profile> profiles, String defaultProfile) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("policy.profiles must define at least one profile");
        }
        Map<String, Profile> map = new LinkedHashMap<>();
        for (Profile p : profiles) {
            if (map.put(p.name(), p) != null) {
                throw new IllegalArgumentException("policy.profiles defines '" + p.name() + "' twice");
            }
        }
        if (!map.containsKey(defaultProfile)) {
            throw new IllegalArgumentException("policy.defaultProfile '" + defaultProfile + "' is not one of "
                    + map.keySet());
        }
        return new AccessPolicy(java.util.Collections.unmodifiableMap(map), defaultProfile);
    }

    /** The profile called {@code name}; throws with the list of known names when there is none. */
    public Profile profile(String name) {
        Profile p = profiles.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "' (known: " + profiles.keySet() + ")");
        }
        return p;
    }

    /** True when a profile of that name exists. */
    public boolean has(String name) {
        return profiles.containsKey(name);
    }

    public Profile defaultProfile() {
        return profiles.get(defaultProfile);
    }

    /** Profile names, in configuration order. */
    public java.util.Set<String> names() {
        return profiles.keySet();
    }
}
