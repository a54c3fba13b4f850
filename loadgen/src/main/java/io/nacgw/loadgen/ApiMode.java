package io.nacgw.loadgen;

import java.util.Locale;

/** Which HTTPS API the load generator asks about a device, and how the answer shows the verdict. */
public enum ApiMode {
    /** Cisco ISE MDM API v3: {@code GET /ciscoise/mdmapi/v3/devices/?...querycriteria=macaddress&value=MAC}. */
    ISE_V3("ise-v3"),
    /** Cisco ISE MDM API v2, same query on the v2 path. */
    ISE_V2("ise-v2"),
    /** nacgw's JSON API: {@code GET /api/v1/devices/lookup?mac=MAC}. */
    JSON("json");

    private final String wire;

    ApiMode(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    public static ApiMode parse(String s) {
        for (ApiMode m : values()) {
            if (m.wire.equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("--mode must be ise-v3, ise-v2 or json, got '" + s + "'");
    }

    /** Path and query for a lookup of {@code mac}. */
    public String uri(long mac) {
        String colon = Targets.rfc3580(mac).replace('-', ':');
        switch (this) {
            case ISE_V3:
            case ISE_V2:
                return "/ciscoise/mdmapi/" + (this == ISE_V3 ? "v3" : "v2")
                        + "/devices/?paging=0&querycriteria=macaddress&value=" + colon + "&filter=all";
            default:
                return "/api/v1/devices/lookup?mac=" + colon.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The verdict an answer body shows: {@code allow}, {@code quarantine}, {@code deny}, {@code unknown} (ISE: the
     * device is not known), or null when the body says nothing recognisable. ISE only knows compliant (status true)
     * or not, so its non-compliant answers read as {@code not-allow}.
     */
    public String verdictOf(String body) {
        if (this == JSON) {
            boolean found = body.contains("\"found\":true");
            if (!found && !body.contains("\"found\":false")) {
                return null;
            }
            for (String v : new String[]{"allow", "quarantine", "deny"}) {
                if (body.contains("\"verdict\":\"" + v + "\"")) {
                    return found ? v : "unknown-" + v;
                }
            }
            return null;
        }
        if (body.contains("<deviceList/>") || body.contains("<deviceList></deviceList>")) {
            return "unknown";
        }
        if (body.contains("<status>true</status>")) {
            return "allow";
        }
        if (body.contains("<status>false</status>")) {
            return "not-allow";
        }
        return null;
    }

    /** The verdict expected for a class, from what RADIUS would answer: the allowed answer → allow, else quarantine or deny. */
    public String expectedVerdict(Expectations e, TargetClass c) {
        Expected x = e.of(c);
        String v = x.equals(e.of(TargetClass.COMPLIANT)) ? "allow" : x.accept() ? "quarantine" : "deny";
        if (this == JSON) {
            return c == TargetClass.UNKNOWN ? "unknown-" + v : v;
        }
        return c == TargetClass.UNKNOWN ? "unknown" : v.equals("allow") ? "allow" : "not-allow";
    }
}
