package io.nacgw.radius.coa;

import java.util.Locale;
import java.util.Objects;

/**
 * How a CoA or Disconnect ended.
 *
 * @param request       what was asked
 * @param answer        the outcome
 * @param errorCause    Error-Cause of a NAK (RFC 5176 §3.5), or null
 * @param attempts      transmissions, retransmissions included (0 when nothing was sent)
 * @param latencyNanos  from queueing to the answer or the give-up
 * @param sent          the packet and command, e.g. "CoA-Request reauthenticate" (null when nothing was sent)
 * @param destination   address:port the request went to, or null
 */
public record CoaResult(CoaRequest request, Answer answer, Integer errorCause, int attempts, long latencyNanos,
                        String sent, String destination) {
    /** Error-Cause 503: the NAS has no such session. */
    public static final int SESSION_CONTEXT_NOT_FOUND = 503;
    /** Error-Cause 506: the NAS is busy; nacgw retries. */
    public static final int RESOURCES_UNAVAILABLE = 506;

    /** The outcomes. */
    public enum Answer {
        /** CoA-ACK or Disconnect-ACK. */
        ACK,
        /** CoA-NAK or Disconnect-NAK (see the Error-Cause). */
        NAK,
        /** No valid answer after every attempt. */
        TIMEOUT,
        /** The sender's queue was full: nothing sent. */
        QUEUE_FULL,
        /** The NAS client is no longer configured, or its address is not usable: nothing sent. */
        NO_CLIENT,
        /**
         * The session came over RadSec and that NAS has no TLS connection open now: nothing sent (no UDP fallback;
         * the NAS gets the new decision when it reconnects and re-authenticates).
         */
        NO_CONNECTION,
        /** The sender was closed before an answer. */
        CLOSED;

        /** kebab-case for the audit log and metrics. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public CoaResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(answer, "answer");
    }

    /** True when the NAS said it has no such session (NAK 503): the session can be closed. */
    public boolean sessionGone() {
        return answer == Answer.NAK && errorCause != null && errorCause == SESSION_CONTEXT_NOT_FOUND;
    }
}
