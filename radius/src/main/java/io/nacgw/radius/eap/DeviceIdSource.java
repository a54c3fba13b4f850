package io.nacgw.radius.eap;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where an EAP-TLS conversation finds the device id, tried in the configured order
 * ({@code radius.eap.tls.deviceIdSources}); the first known device decides.
 */
public enum DeviceIdSource {
    /** Intune device ids in SAN URIs: {@code IntuneDeviceId://…}, {@code ID:Intune:GUID:…}, {@code ID:Microsoft Endpoint Manager:GUID:…}. */
    INTUNE_URI,
    /** A GUID-shaped subject CN: as Entra device id (Intune's {@code CN={{AAD_Device_ID}}}), then as Intune device id. */
    SUBJECT_CN,
    /** The Calling-Station-Id MAC (user certificates, which name no device). */
    CALLING_STATION_ID;

    /** The config spelling, e.g. {@code intune-uri}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a config spelling; the message lists the valid ones. */
    public static DeviceIdSource fromName(String s) {
        for (DeviceIdSource d : values()) {
            if (d.configName().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return d;
            }
        }
        throw new IllegalArgumentException("radius.eap.tls.deviceIdSources: '" + s + "' is not one of "
                + Arrays.stream(values()).map(DeviceIdSource::configName).collect(Collectors.joining(", ")));
    }
}
