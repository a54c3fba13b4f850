package io.nacgw.radius.server;

import io.nacgw.core.policy.Verdict;
import io.nacgw.core.session.Authorization;
import io.nacgw.radius.audit.AuditEvent;
import io.nacgw.radius.codec.RadiusResponse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An Access-Request's reply, what the audit log records about it and, for an Access-Accept, the session it
 * authorises (null otherwise, or when neither a MAC nor a device identifies the endpoint). {@code rules}: the
 * profile's explanation, only while {@code nacgw debug} traces this request (null otherwise).
 */
record Outcome(RadiusResponse response, String method, Map<String, String> identifiers, String identifierUsed,
               String deviceId, String profile, String verdictName, List<String> reasons, String decisionId,
               Verdict verdict, Authorization authorization, String rules) {

    AuditEvent audit(Instant time, long latencyMicros) {
        return new AuditEvent(time, response.request().client().name(),
                response.request().sender().getAddress().getHostAddress(), method, identifiers, identifierUsed,
                deviceId, profile, verdictName, reasons, decisionId, latencyMicros);
    }
}
