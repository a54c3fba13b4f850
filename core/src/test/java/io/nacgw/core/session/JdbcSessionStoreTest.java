package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreException;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
final class JdbcSessionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");
    private static final DeviceGuid DEVICE = DeviceGuid.intune("11111111-2222-4333-8444-555555555555");
    @RegisterExtension
    final Postgres pg = new Postgres();
    private final SessionStore store;

    JdbcSessionStoreTest(String kind) {
        store = SessionStore.open(kind.equals("postgres") ? pg.freshSchema() : new StoreSettings(
                "jdbc:h2:mem:sessions-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "", 2));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static SessionEvent event(SessionEvent.Kind kind, String id, Instant at, MacAddress mac, String user) {
        return new SessionEvent(kind, "sw1", id, mac, mac == null ? null : DEVICE, user, "10.0.0.5", "nacgw:abc",
                "AUDIT1", "192.0.2.1", at, kind == SessionEvent.Kind.STOP ? 1 : null);
    }

    @Test
    void apply_startThenStop_keepsStartAndRecordsStop() {
        store.apply(event(SessionEvent.Kind.START, "s1", T0, MAC, "alice"));
        Session live = store.get("192.0.2.1", "s1").orElseThrow();
        assertTrue(live.live());
        assertEquals(MAC, live.mac());
        assertEquals(DEVICE, live.deviceId());
        assertEquals(T0, live.startedAt());
        store.apply(event(SessionEvent.Kind.STOP, "s1", T0.plusSeconds(60), null, null));
        Session s = store.get("192.0.2.1", "s1").orElseThrow();
        assertFalse(s.live());
        assertEquals(T0.plusSeconds(60), s.stoppedAt());
        assertEquals(MAC, s.mac(), "a stop without Calling-Station-Id keeps the stored MAC");
        assertEquals("alice", s.userName());
        assertEquals(1, s.terminateCause());
    }

    @Test
    void apply_interimForUnseenSession_insertsIt() {
        store.apply(event(SessionEvent.Kind.INTERIM, "s2", T0, MAC, "bob"));
        assertEquals(T0, store.get("192.0.2.1", "s2").orElseThrow().startedAt());
        assertEquals(1, store.liveCount());
    }

    @Test
    void apply_olderInterim_doesNotMoveUpdatedAtBack() {
        store.apply(event(SessionEvent.Kind.START, "s3", T0.plusSeconds(100), MAC, "bob"));
        store.apply(event(SessionEvent.Kind.INTERIM, "s3", T0, MAC, "bob"));
        assertEquals(T0.plusSeconds(100), store.get("192.0.2.1", "s3").orElseThrow().updatedAt());
    }

    @Test
    void liveByMacAndDevice_findOnlyLiveSessions() {
        store.apply(event(SessionEvent.Kind.START, "a", T0, MAC, "u"));
        store.apply(event(SessionEvent.Kind.START, "b", T0, MAC, "u"));
        store.apply(event(SessionEvent.Kind.STOP, "b", T0.plusSeconds(1), MAC, "u"));
        assertEquals(1, store.liveByMac(MAC).size());
        assertEquals("a", store.liveByDevice(DEVICE).get(0).acctSessionId());
    }

    @Test
    void closeAll_closesOnlyThatNasAddress() {
        store.apply(event(SessionEvent.Kind.START, "a", T0, MAC, "u"));
        store.apply(new SessionEvent(SessionEvent.Kind.START, "sw1", "x", null, null, null, null, null, null,
                "192.0.2.2", T0, null)); // another switch under the same configured client
        assertEquals(1, store.closeAll("192.0.2.1", T0.plusSeconds(5)));
        assertFalse(store.get("192.0.2.1", "a").orElseThrow().live());
        assertTrue(store.get("192.0.2.2", "x").orElseThrow().live());
        assertNull(store.get("192.0.2.2", "x").orElseThrow().mac());
    }

    @Test
    void purgeStoppedBefore_deletesOldStoppedSessions() {
        store.apply(event(SessionEvent.Kind.STOP, "old", T0, MAC, "u"));
        store.apply(event(SessionEvent.Kind.START, "live", T0, MAC, "u"));
        assertEquals(1, store.purgeStoppedBefore(T0.plusSeconds(1)));
        assertTrue(store.get("192.0.2.1", "old").isEmpty());
        assertTrue(store.get("192.0.2.1", "live").isPresent());
    }

    @Test
    void apply_sameSessionIdOnTwoNases_areTwoSessions() {
        store.apply(event(SessionEvent.Kind.START, "same", T0, MAC, "u"));
        store.apply(new SessionEvent(SessionEvent.Kind.START, "sw1", "same", null, null, "v", null, null, null,
                "192.0.2.2", T0, null));
        assertEquals(2, store.liveCount());
        assertEquals("u", store.get("192.0.2.1", "same").orElseThrow().userName());
        assertEquals("v", store.get("192.0.2.2", "same").orElseThrow().userName());
    }

    @Test
    void apply_afterClose_failsWithStoreException() {
        store.close();
        assertThrows(StoreException.class, () -> store.apply(event(SessionEvent.Kind.START, "z", T0, MAC, "u")));
    }
}
