package io.nacgw.certs;

import java.util.List;
import java.util.Optional;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;

/**
 * The device identifiers found in one certificate, in lookup order: Intune device ids from SAN URIs first, then
 * the Entra device id from a GUID-shaped CN. {@code skipped} lists the URI SANs that gave no id, with the reason.
 */
public record CertificateDeviceIds(List<DeviceGuid> ids, List<SkippedSan> skipped) {
    public CertificateDeviceIds {
        ids = List.copyOf(ids);
        skipped = List.copyOf(skipped);
    }

    /** The identifier to look the device up by first. */
    public Optional<DeviceGuid> first() {
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** The Intune device ids (normally at most one). */
    public List<DeviceGuid> intuneIds() {
        return ids.stream().filter(g -> g.kind() == IdentifierKind.INTUNE_ID).toList();
    }

    /**
     * The Entra device id taken from the CN. Some profiles put the Intune id in the CN instead; a caller that finds
     * nothing under this id may retry with {@code id.as(IdentifierKind.INTUNE_ID)}.
     */
    public Optional<DeviceGuid> entraId() {
        return ids.stream().filter(g -> g.kind() == IdentifierKind.ENTRA_ID).findFirst();
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }
}
