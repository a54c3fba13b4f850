package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;

import java.time.Instant;

/**
 * Told when nacgw learns that an endpoint's session ended or is being re-authorised by the NAS outside an
 * Access-Request (a CoA or Disconnect the NAS acknowledged, a NAK 503), so the next Access-Accept for that endpoint
 * is written to the session table even if it repeats the last one ({@link AcceptRecorder}'s coalescing). Must not
 * block.
 */
public interface SessionEndListener {
    /** The session of {@code mac} ended (or is re-authorised) at {@code at}; Accepts from {@code at} on are new. */
    void sessionEnded(MacAddress mac, Instant at);
}
