package io.nacgw.core.policy;

/**
 * What a verdict means on the wire for one profile: VLAN, filter/ACL, role, session timeout, redirect and message.
 * Every field is optional (null). Transport modules turn these into RADIUS attributes or API fields.
 *
 * @param vlan            VLAN id or name (RADIUS Tunnel-Private-Group-Id)
 * @param filterId        named ACL or filter on the NAS (Filter-Id)
 * @param role            role name on the NAS (e.g. Aruba-User-Role)
 * @param sessionTimeout  seconds until the NAS re-authenticates (Session-Timeout + Termination-Action)
 * @param redirectUrl     captive-portal redirect for quarantine (Cisco url-redirect)
 * @param redirectAcl     ACL that selects redirected traffic (Cisco url-redirect-acl)
 * @param replyMessage    text for the user (Reply-Message)
 */
public record ResponseAttributes(String vlan, String filterId, String role, Integer sessionTimeout,
                                 String redirectUrl, String redirectAcl, String replyMessage) {
    /** No attributes at all. */
    public static final ResponseAttributes NONE = new ResponseAttributes(null, null, null, null, null, null, null);

    public ResponseAttributes {
        vlan = clean("vlan", vlan, 32);
        filterId = clean("filterId", filterId, 253);
        role = clean("role", role, 253);
        redirectUrl = clean("redirectUrl", redirectUrl, 247);
        redirectAcl = clean("redirectAcl", redirectAcl, 200);
        replyMessage = clean("replyMessage", replyMessage, 253);
        if (sessionTimeout != null && (sessionTimeout < 60 || sessionTimeout > 604_800)) {
            throw new IllegalArgumentException("sessionTimeout must be between 60 and 604800 seconds, got " + sessionTimeout);
        }
        if (redirectUrl != null && !(redirectUrl.startsWith("https://") || redirectUrl.startsWith("http://"))) {
            throw new IllegalArgumentException("redirectUrl must be an http(s) URL, got '" + redirectUrl + "'");
        }
    }

    private static String clean(String field, String v, int max) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters (one RADIUS attribute)");
        }
        return v;
    }

    /** True when no field is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
