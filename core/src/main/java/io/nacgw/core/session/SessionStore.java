package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreSettings;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The durable session table: every Access-Accept and every accounting record, joined into one row per session,
 * keyed by NAS identity ({@link NasRef#id()}) and Acct-Session-Id. Every method blocks on I/O (never call it from an
 * event loop); a write returns only after it is committed, so a caller may acknowledge the NAS afterwards.
 *
 * <p>For CoA: {@link #activeSessionsForDevice} / {@link #activeSessionsForMac} give the sessions a compliance
 * change must reach (each carries its NAS's address, client name, Acct-Session-Id when known, MAC, profile and
 * verdict); {@link #stop} ends one the NAS says it does not know (Error-Cause 503) or has disconnected.
 */
public interface SessionStore extends AutoCloseable {

    /** Opens (and migrates) the session table in the database described by {@code settings}; system clock. */
    static SessionStore open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** As above; {@code clock} decides what "active now" means for sessions known only from an Access-Accept. */
    static SessionStore open(StoreSettings settings, Clock clock) {
        return JdbcSessionStore.open(settings, clock, null);
    }

    /**
     * As above, as node {@code node} of several sharing one PostgreSQL store: every session this store records is
     * owned by {@code node} ({@link Session#owner()}), and {@link #claims()} coordinates CoA with the other nodes.
     */
    static SessionStore open(StoreSettings settings, Clock clock, String node) {
        return JdbcSessionStore.open(settings, clock, node);
    }

    /** Applies one Start/Interim/Stop record, joining it with the Access-Accept it follows; committed on return. */
    void apply(SessionEvent event);

    /**
     * Records Access-Accepts in one transaction. An Accept for an endpoint that has an accounted live session on the
     * same NAS re-authorises that session; otherwise it creates (or renews) the endpoint's Accept-only session there.
     */
    void recordAuthorizations(List<Authorization> batch);

    /**
     * Ends every live session of the NAS with identity {@code nasId} (Accounting-On/Off: it rebooted); returns how
     * many. Sessions of other NASes, behind the same proxy or in the same client network, stay live.
     */
    int closeAll(String nasId, Instant at);

    /** Ends one session (e.g. the NAS answered a CoA with Error-Cause 503); false when it does not exist. */
    boolean stop(String sessionId, Instant at, Integer terminateCause);

    /**
     * The NAS acknowledged a CoA that makes it re-authorise session {@code sessionId} toward the answer
     * {@code answerHash}: record that answer as the one the session holds, unless an Access-Accept replaced the
     * authorisation {@code decisionId} meanwhile (then that Accept's answer stands). False when nothing changed.
     */
    boolean answered(String sessionId, String decisionId, long answerHash);

    /** The session with nacgw's id {@code sessionId}. */
    Optional<Session> find(String sessionId);

    /** The session with this accounting key, live or not. */
    Optional<Session> get(String nasId, String acctSessionId);

    /** Sessions of the endpoint with this MAC active now, on any NAS, newest first. */
    List<Session> activeSessionsForMac(MacAddress mac);

    /** Sessions of this MDM device active now, on any NAS, newest first. */
    List<Session> activeSessionsForDevice(DeviceGuid deviceId);

    /**
     * Sessions active now of any of these MDM devices or of the endpoints with any of these MACs, on any NAS, each
     * once, newest first: what {@link #activeSessionsForDevice} and {@link #activeSessionsForMac} give for each of
     * them, in one query per {@value #MAX_LOOKUP_KEYS} keys (the CoA trigger's batches).
     */
    List<Session> activeSessionsFor(Collection<DeviceGuid> deviceIds, Collection<MacAddress> macs);

    /** Device ids and MACs one query of {@link #activeSessionsFor} carries at most; more take several queries. */
    int MAX_LOOKUP_KEYS = 1000;

    /** Sessions matching {@code filter}, newest first. */
    List<Session> list(SessionFilter filter);

    /**
     * Up to {@code limit} sessions active now whose id sorts after {@code afterId} (null: from the first), in id
     * order: a keyset page, so a walk over every active session (the next page after the last id of this one)
     * holds one page in memory however many there are, and meets each session at most once.
     */
    List<Session> activeSessionsAfter(String afterId, int limit);

    /** Number of sessions active now. */
    long activeCount();

    /** Deletes sessions that stopped, or expired without accounting, before {@code cutoff}; returns how many. */
    int purgeEndedBefore(Instant cutoff);

    /** The CoA claims and node heartbeats in the same database (shared mode). */
    CoaClaims claims();

    @Override
    void close();
}
