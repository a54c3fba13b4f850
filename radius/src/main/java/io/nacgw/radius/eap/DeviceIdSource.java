package io.nacgw.radius.eap;

import io.nacgw.certs.CertificateDeviceIds;
import io.nacgw.certs.CertificateField;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.MacAddress;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * One entry of {@code radius.eap.tls.deviceIdSources}: where an EAP-TLS conversation looks for the device id. The
 * entries are tried in order and the first known device decides. An entry reads
 * {@code FIELD [matching REGEX] [as KIND]}:
 * <ul>
 *   <li>{@code intune-uri}: Intune device ids in SAN URIs ({@code IntuneDeviceId://…}, {@code ID:Intune:GUID:…},
 *       {@code ID:Microsoft Endpoint Manager:GUID:…});</li>
 *   <li>{@code subject-cn}: a GUID-shaped CN, as Entra device id then as Intune device id (Intune's
 *       {@code CN={{AAD_Device_ID}}}); with {@code as KIND}, the CN as that kind;</li>
 *   <li>{@code calling-station-id}: the Calling-Station-Id MAC (user certificates name no device);</li>
 *   <li>{@code uri-san:PREFIX}, {@code dns-san}, {@code upn-san}, {@code email-san}, {@code subject-ou},
 *       {@code subject-serialnumber}, {@code subject-cn}: the field's values, with {@code uri-san} only those
 *       starting with PREFIX (case-insensitive, the prefix removed, a trailing {@code /} too); these need
 *       {@code as KIND} (mac, serial, imei, meid, udid, intune-id, entra-id).</li>
 * </ul>
 * {@code matching REGEX} keeps a value only when the (Java) regex is found in it, and then takes its first group
 * (the whole match without a group). A value that is not a valid identifier of the kind is passed over.
 */
public final class DeviceIdSource {
    private static final String KEY = "radius.eap.tls.deviceIdSources";
    private static final String KINDS = "mac, serial, imei, meid, udid, intune-id, entra-id";
    private static final Pattern AS = Pattern.compile("^(.*?)\\s+as\\s+(\\S+)$", Pattern.CASE_INSENSITIVE);

    /** Intune device ids in SAN URIs. */
    public static final DeviceIdSource INTUNE_URI = parse("intune-uri");
    /** A GUID-shaped subject CN as Entra id, then as Intune id. */
    public static final DeviceIdSource SUBJECT_CN = parse("subject-cn");
    /** The Calling-Station-Id MAC. */
    public static final DeviceIdSource CALLING_STATION_ID = parse("calling-station-id");

    private enum Builtin { INTUNE_URI, GUID_CN, CALLING_STATION_ID }

    private final String spec;
    private final Builtin builtin;
    private final CertificateField field;
    private final String uriPrefix;
    private final Pattern pattern;
    private final IdentifierKind kind;

    private DeviceIdSource(String spec, Builtin builtin, CertificateField field, String uriPrefix, Pattern pattern,
                           IdentifierKind kind) {
        this.spec = spec;
        this.builtin = builtin;
        this.field = field;
        this.uriPrefix = uriPrefix;
        this.pattern = pattern;
        this.kind = kind;
    }

    /** The default order: {@code intune-uri, subject-cn, calling-station-id}. */
    public static List<DeviceIdSource> defaults() {
        return List.of(INTUNE_URI, SUBJECT_CN, CALLING_STATION_ID);
    }

    /** The entry as written in the config (normalised spacing). */
    public String configName() {
        return spec;
    }

    /** Parses one entry; the message names the key, the entry and what would be valid. */
    public static DeviceIdSource parse(String text) {
        String s = text == null ? "" : text.strip();
        IdentifierKind kind = null;
        Matcher as = AS.matcher(s);
        if (as.matches()) {
            try {
                kind = IdentifierKind.fromName(as.group(2));
            } catch (IllegalArgumentException e) {
                throw bad(text, "'" + as.group(2) + "' is not an identifier kind (" + KINDS + ")");
            }
            s = as.group(1).strip();
        }
        Pattern pattern = null;
        String head = s;
        int space = firstSpace(s);
        if (space >= 0) {
            head = s.substring(0, space);
            String rest = s.substring(space).strip();
            if (!rest.regionMatches(true, 0, "matching", 0, 8) || rest.length() == 8
                    || !Character.isWhitespace(rest.charAt(8))) {
                throw bad(text, "expected 'FIELD [matching REGEX] [as KIND]'");
            }
            String regex = rest.substring(8).strip();
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw bad(text, "the regex does not compile: " + e.getDescription());
            }
        }
        String lower = head.toLowerCase(Locale.ROOT);
        String prefix = null;
        if (lower.startsWith("uri-san:")) {
            prefix = head.substring("uri-san:".length());
            if (prefix.isEmpty()) {
                throw bad(text, "uri-san: needs a prefix, e.g. uri-san:IntuneDeviceId://");
            }
            lower = "uri-san";
        }
        String normal = lower + (prefix == null ? "" : ":" + prefix)
                + (pattern == null ? "" : " matching " + pattern.pattern())
                + (kind == null ? "" : " as " + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        switch (lower) {
            case "intune-uri":
            case "calling-station-id":
                if (kind != null || pattern != null) {
                    throw bad(text, lower + " takes neither 'matching' nor 'as'");
                }
                return new DeviceIdSource(normal, lower.equals("intune-uri") ? Builtin.INTUNE_URI
                        : Builtin.CALLING_STATION_ID, null, null, null, null);
            case "subject-cn":
                if (kind == null) {
                    if (pattern != null) {
                        throw bad(text, "subject-cn with 'matching' needs 'as KIND' (" + KINDS + ")");
                    }
                    return new DeviceIdSource(normal, Builtin.GUID_CN, null, null, null, null);
                }
                return new DeviceIdSource(normal, null, CertificateField.SUBJECT_CN, null, pattern, kind);
            default:
                CertificateField field = null;
                for (CertificateField f : CertificateField.values()) {
                    if (f.configName().equals(lower)) {
                        field = f;
                    }
                }
                if (field == null) {
                    throw bad(text, "'" + head + "' is not one of intune-uri, subject-cn, calling-station-id, "
                            + "uri-san:PREFIX, " + Arrays.stream(CertificateField.values())
                            .filter(f -> f != CertificateField.URI_SAN && f != CertificateField.SUBJECT_CN)
                            .map(CertificateField::configName).collect(Collectors.joining(", ")));
                }
                if (field == CertificateField.URI_SAN && prefix == null) {
                    throw bad(text, "uri-san needs a prefix, e.g. uri-san:IntuneDeviceId://");
                }
                if (kind == null) {
                    throw bad(text, head + " needs 'as KIND' (" + KINDS + ")");
                }
                return new DeviceIdSource(normal, null, field, prefix, pattern, kind);
        }
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException(KEY + ": '" + text + "': " + why);
    }

    /**
     * The identifiers this entry finds, in certificate order.
     *
     * @param leaf    the client certificate (null: none, e.g. EAP-MD5)
     * @param found   the ids {@link io.nacgw.certs.DeviceIds} found in it (null when there is no certificate)
     * @param calling the Calling-Station-Id MAC, if any
     */
    List<DeviceIdentifier> find(X509Certificate leaf, CertificateDeviceIds found, MacAddress calling) {
        List<DeviceIdentifier> out = new ArrayList<>();
        if (builtin != null) {
            switch (builtin) {
                case INTUNE_URI:
                    if (found != null) {
                        out.addAll(found.intuneIds());
                    }
                    break;
                case GUID_CN:
                    if (found != null) {
                        found.entraId().ifPresent(e -> {
                            out.add(e);
                            out.add(e.as(IdentifierKind.INTUNE_ID)); // some SCEP profiles put the Intune id in the CN
                        });
                    }
                    break;
                case CALLING_STATION_ID:
                default:
                    if (calling != null) {
                        out.add(calling);
                    }
                    break;
            }
            return out;
        }
        if (leaf == null) {
            return out;
        }
        for (String v : field.values(leaf)) {
            String value = v;
            if (uriPrefix != null) {
                if (!value.regionMatches(true, 0, uriPrefix, 0, uriPrefix.length())) {
                    continue;
                }
                value = value.substring(uriPrefix.length());
                if (value.endsWith("/")) {
                    value = value.substring(0, value.length() - 1);
                }
            }
            if (pattern != null) {
                Matcher m = pattern.matcher(value);
                if (!m.find()) {
                    continue;
                }
                value = m.groupCount() >= 1 ? m.group(1) : m.group();
                if (value == null) {
                    continue;
                }
            }
            try {
                out.add(DeviceIdentifier.parse(kind, value.strip()));
            } catch (IllegalArgumentException e) {
                // not an identifier of this kind: the next value or entry may be
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceIdSource && ((DeviceIdSource) o).spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec);
    }

    @Override
    public String toString() {
        return spec;
    }
}
