package io.nacgw.gateway;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.nacapi.DeviceJson;

import java.util.ArrayList;
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

    /**
     * The identifiers {@code text} may be, most likely first: a GUID is tried as Intune id then Entra id; digits
     * as IMEI then serial. With {@code kind} given, exactly that kind (or a clear error).
     */
    public static List<DeviceIdentifier> candidates(String text, String kind) {
        if (kind != null) {
            return List.of(DeviceIdentifier.parse(IdentifierKind.fromName(kind), text));
        }
        List<DeviceIdentifier> out = new ArrayList<>();
        MacAddress mac = MacAddress.tryParse(text);
        if (mac != null) {
            out.add(mac);
        }
        DeviceGuid guid = DeviceGuid.tryParse(IdentifierKind.INTUNE_ID, text);
        if (guid != null) {
            out.add(guid);
            out.add(guid.as(IdentifierKind.ENTRA_ID));
        }
        tryAdd(out, () -> Imei.parse(text));
        tryAdd(out, () -> Meid.parse(text));
        tryAdd(out, () -> Udid.parse(text));
        tryAdd(out, () -> SerialNumber.parse(text));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC, GUID, IMEI, MEID, UDID or serial number");
        }
        return out;
    }

    private static void tryAdd(List<DeviceIdentifier> out, java.util.function.Supplier<DeviceIdentifier> s) {
        try {
            out.add(s.get());
        } catch (IllegalArgumentException e) {
            // not this kind
        }
    }
}
