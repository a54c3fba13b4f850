package io.nacgw.nacapi.sessions;

import io.nacgw.nacapi.MetricsServer;
import java.util.concurrent.CompletionStage;

/**
 * Operator actions on one network session, supplied by the gateway (which owns the CoA sender):
 * {@code POST /api/v1/sessions/{id}:reauthenticate} and {@code POST /api/v1/sessions/{id}:disconnect}.
 */
@FunctionalInterface
public interface SessionActions {

    /**
     * Sends the NAS holding session {@code sessionId} a re-authentication (or, with {@code disconnect}, a
     * Disconnect) and completes with the HTTP status and JSON body to answer: 200 with the NAS's answer, 404 when no
     * such active session, 409 when CoA is off. Must not block the caller.
     */
    CompletionStage<MetricsServer.Reply> act(String sessionId, boolean disconnect);
}
