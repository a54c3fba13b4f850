package io.nacgw.core.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The set of network profiles from config, looked up by name. Each set of profiles is immutable; a configuration
 * reload swaps the whole set at once ({@link #update}), so every component holding this policy (RADIUS, the APIs,
 * CoA) decides with the new profiles from its next request on, and a request in flight finishes with the
 * {@link Profile} it already has.
 */
public final class AccessPolicy {
    /** One consistent set: never a new profile map with an old default name. */
    private record Snapshot(Map<String, Profile> profiles, String defaultProfile) {
    }

    private volatile Snapshot current;

    private AccessPolicy(Snapshot snapshot) {
        this.current = snapshot;
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
        return new AccessPolicy(new Snapshot(java.util.Collections.unmodifiableMap(map), defaultProfile));
    }

    /** Takes over {@code next}'s profiles and default (a reload); {@code next} itself is left as it was. */
    public void update(AccessPolicy next) {
        current = Objects.requireNonNull(next, "next").current;
    }

    /** The profile called {@code name}; throws with the list of known names when there is none. */
    public Profile profile(String name) {
        Map<String, Profile> profiles = current.profiles();
        Profile p = profiles.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "' (known: " + profiles.keySet() + ")");
        }
        return p;
    }

    /** True when a profile of that name exists. */
    public boolean has(String name) {
        return current.profiles().containsKey(name);
    }

    public Profile defaultProfile() {
        Snapshot s = current;
        return s.profiles().get(s.defaultProfile());
    }

    /** Profile names, in configuration order. */
    public java.util.Set<String> names() {
        return current.profiles().keySet();
    }
}
