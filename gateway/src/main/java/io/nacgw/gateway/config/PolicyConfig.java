package io.nacgw.gateway.config;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code policy:} the network profiles and which one applies when nothing more specific does. */
public record PolicyConfig(String defaultProfile, LinkedHashMap<String, ProfileConfig> profiles) {
    public PolicyConfig {
        if (profiles == null || profiles.isEmpty()) {
            throw new IllegalArgumentException("policy.profiles must define at least one profile");
        }
        defaultProfile = defaultProfile == null ? profiles.keySet().iterator().next() : defaultProfile;
    }

    /** Builds and validates every profile. */
    public AccessPolicy toAccessPolicy() {
        List<Profile> list = new ArrayList<>();
        for (Map.Entry<String, ProfileConfig> e : profiles.entrySet()) {
            ProfileConfig pc = e.getValue() == null ? new ProfileConfig(null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null) : e.getValue();
            list.add(pc.toProfile(e.getKey()));
        }
        return AccessPolicy.of(list, defaultProfile);
    }
}
