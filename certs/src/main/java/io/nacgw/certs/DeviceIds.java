package io.nacgw.certs;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;

/**
 * Finds the device identity in an MDM-issued certificate. URI SANs of the forms {@code IntuneDeviceId://{id}}
 * (Microsoft's recommendation for NAC), {@code ID:Intune:GUID:{id}} and {@code ID:Microsoft Endpoint Manager:GUID:{id}}
 * (Cisco ISE's scheme) give Intune device ids; a GUID-shaped subject CN (Intune's {@code CN={{AAD_Device_ID}}})
 * gives the Entra device id. Every URI is examined, so a Windows strong-mapping SID URI beside the device id does
 * not hide it. Malformed values are reported, never thrown.
 */
public final class DeviceIds {
    static final String INTUNE_SCHEME = "IntuneDeviceId://";
    static final String WINDOWS_SID_TAG = "tag:microsoft.com,2022-09-14:sid:";
    private static final List<String> ISE_VENDORS = List.of("Intune", "Microsoft Endpoint Manager");

    private DeviceIds() {
    }

    /** The device ids in {@code cert}, Intune ids first; never throws on certificate content. */
    public static CertificateDeviceIds fromCertificate(X509Certificate cert) {
        Sans.Result sans = Sans.read(cert);
        LinkedHashSet<DeviceGuid> ids = new LinkedHashSet<>();
        List<SkippedSan> skipped = new ArrayList<>();
        sans.error().ifPresent(e -> skipped.add(new SkippedSan("subjectAltName", e)));
        for (String uri : Sans.uris(sans)) {
            if (uri == null) {
                skipped.add(new SkippedSan("<unreadable>", "URI name is not an IA5String"));
                continue;
            }
            classify(uri, ids, skipped);
        }
        Optional<String> cn = Sans.commonName(cert);
        if (cn.isPresent()) {
            DeviceGuid entra = DeviceGuid.tryParse(IdentifierKind.ENTRA_ID, cn.get());
            if (entra != null) {
                ids.add(entra);
            }
        }
        return new CertificateDeviceIds(new ArrayList<>(ids), skipped);
    }

    private static void classify(String uri, LinkedHashSet<DeviceGuid> ids, List<SkippedSan> skipped) {
        String shown = Texts.printable(uri);
        if (startsWithIgnoreCase(uri, INTUNE_SCHEME)) {
            String rest = uri.substring(INTUNE_SCHEME.length());
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            addIntune(rest, shown, "IntuneDeviceId URI", ids, skipped);
            return;
        }
        if (startsWithIgnoreCase(uri, "ID:")) {
            int guidAt = uri.toUpperCase(Locale.ROOT).indexOf(":GUID:");
            if (guidAt > 3) {
                String vendor = uri.substring(3, guidAt);
                String rest = uri.substring(guidAt + ":GUID:".length());
                for (String v : ISE_VENDORS) {
                    if (v.equalsIgnoreCase(vendor)) {
                        addIntune(rest, shown, "ID:" + v + ":GUID URI", ids, skipped);
                        return;
                    }
                }
                skipped.add(new SkippedSan(shown, "ID:" + Texts.printable(vendor)
                        + ":GUID URI names an MDM other than Intune"));
                return;
            }
            skipped.add(new SkippedSan(shown, "ID: URI without :GUID: part"));
            return;
        }
        if (startsWithIgnoreCase(uri, WINDOWS_SID_TAG)) {
            skipped.add(new SkippedSan(shown, "Windows strong-mapping SID, not a device id"));
            return;
        }
        if (Role.fromUri(uri).isPresent()) {
            skipped.add(new SkippedSan(shown, "nacgw role, not a device id"));
            return;
        }
        skipped.add(new SkippedSan(shown, "not a device-id URI"));
    }

    private static void addIntune(String value, String shown, String form, LinkedHashSet<DeviceGuid> ids,
            List<SkippedSan> skipped) {
        DeviceGuid g = DeviceGuid.tryParse(IdentifierKind.INTUNE_ID, value);
        if (g == null) {
            String why = value.contains("{{") ? " (an unsubstituted profile variable?)" : "";
            skipped.add(new SkippedSan(shown, form + " does not hold a GUID" + why));
        } else {
            ids.add(g);
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
