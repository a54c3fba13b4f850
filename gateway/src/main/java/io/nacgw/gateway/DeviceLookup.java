package io.nacgw.gateway;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.Identifiers;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.nacapi.json.DeviceJson;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code devices get} and {@code devices explain}: reads an identifier typed by an operator (guessing its kind
 * unless one is given), finds the device in a store and renders it or its decision. One implementation for the
 * offline commands and the running gateway's operations port, so both print the same.
 */
public final class DeviceLookup {
    private DeviceLookup() {
    }

    /** The device {@code text} names (the most recently modified when several carry it), or empty. */
    public static Optional<DeviceRecord> find(ComplianceStore store, String text, String kind) {
        for (DeviceIdentifier id : candidates(text, kind)) {
            List<DeviceRecord> found = store.find(id);
            if (!found.isEmpty()) {
                return found.stream().reduce((a, b) -> b.lastModifiedEpochMilli() > a.lastModifiedEpochMilli() ? b : a);
            }
        }
        return Optional.empty();
    }

    /** The device as {@code devices get} prints it (the API's device JSON, indented), or empty. */
    public static Optional<String> show(ComplianceStore store, String text, String kind) {
        return find(store, text, kind).map(d -> {
            try {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(DeviceJson.toJson(d)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("device JSON did not parse", e);
            }
        });
    }

    /**
     * The decision for the device {@code text} names on {@code profile} (null: the default profile) as of {@code at},
     * every rule in words; an unknown identifier is explained as an unknown device.
     */
    public static String explain(ComplianceStore store, AccessPolicy policy, String text, String kind, String profile,
                                 Instant at) {
        Profile p = profile == null ? policy.defaultProfile() : policy.profile(profile);
        return p.explain(find(store, text, kind).orElse(null), at).render();
    }

    /** The identifiers {@code text} may be, most likely first ({@link Identifiers#candidates}). */
    public static List<DeviceIdentifier> candidates(String text, String kind) {
        return Identifiers.candidates(text, kind);
    }
}
