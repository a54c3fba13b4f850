package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;

/**
 * Which sessions {@link SessionStore#list} returns; a null field does not filter.
 *
 * @param nas        a NAS: its identity ({@code ip:192.0.2.1}, {@code id:sw1}), its bare address or
 *                   NAS-Identifier ({@code 192.0.2.1}, {@code sw1}), or the configured client's name
 * @param mac        the endpoint MAC
 * @param deviceId   the MDM device
 * @param profile    the profile of the last authorisation
 * @param activeOnly only sessions active now
 * @param limit      at most this many, newest first (1-100000)
 */
public record SessionFilter(String nas, MacAddress mac, DeviceGuid deviceId, String profile, boolean activeOnly,
                            int limit) {
    /** The most a listing returns. */
    public static final int MAX_LIMIT = 100_000;

    public SessionFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        nas = nas == null || nas.isBlank() ? null : nas.strip();
        profile = profile == null || profile.isBlank() ? null : profile.strip();
    }

    /** Every session, newest first, up to {@code limit}. */
    public static SessionFilter all(int limit) {
        return new SessionFilter(null, null, null, null, false, limit);
    }
}
