package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreSettings;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable session table built from RADIUS accounting, keyed by (NAS source address, Acct-Session-Id). Every method blocks on I/O (never call it from an event
 * loop); a write returns only after it is committed, so a caller may acknowledge the NAS afterwards.
 */
public interface SessionStore extends AutoCloseable {

    /** Opens (and migrates) the session table in the database described by {@code settings}. */
    static SessionStore open(StoreSettings settings) {
        return JdbcSessionStore.open(settings);
    }

    /** Applies one Start/Interim/Stop record; committed when this returns. */
    void apply(SessionEvent event);

    /**
     * Closes every live session of the NAS at {@code nasAddress} (Accounting-On/Off: it rebooted); returns how many.
     * Sessions of other NASes under the same configured client (a CIDR) stay live.
     */
    int closeAll(String nasAddress, Instant at);

    /** The session with this key (NAS source address, Acct-Session-Id), live or not. */
    Optional<Session> get(String nasAddress, String acctSessionId);

    /** Live sessions of the endpoint with this MAC, on any NAS. */
    List<Session> liveByMac(MacAddress mac);

    /** Live sessions of this MDM device, on any NAS. */
    List<Session> liveByDevice(DeviceGuid deviceId);

    /** Number of live sessions. */
    long liveCount();

    /** Deletes sessions that stopped before {@code cutoff}; returns how many. */
    int purgeStoppedBefore(Instant cutoff);

    @Override
    void close();
}
