package io.nacgw.loadgen.radius;

/** Why an answer (or its absence) is wrong; every class is counted separately in the report. */
public enum ReplyError {
    /** No answer after the last retransmission. */
    TIMEOUT("timeout", false),
    /**
     * Shorter than a header, length field beyond the datagram or over 4096, or an attribute overrunning the packet.
     * Counted per datagram: it is discarded and its request keeps waiting (and may time out).
     */
    MALFORMED("malformed", true),
    /**
     * The Response Authenticator does not match MD5(Code|Id|Length|RequestAuth|Attributes|Secret) (wrong secret, a
     * corrupted or forged answer). Counted per datagram: RFC 2865 discards it and the request keeps waiting.
     */
    BAD_RESPONSE_AUTHENTICATOR("bad_response_authenticator", true),
    /** The answer carries no Message-Authenticator although one is required (BlastRADIUS, CVE-2024-3596). */
    MISSING_MESSAGE_AUTHENTICATOR("missing_message_authenticator", true),
    /** Message-Authenticator present but not the first attribute (the BlastRADIUS hardening puts it first). */
    MESSAGE_AUTHENTICATOR_NOT_FIRST("message_authenticator_not_first", true),
    /** Message-Authenticator present but its HMAC-MD5 is wrong (or its length is not 16). */
    BAD_MESSAGE_AUTHENTICATOR("bad_message_authenticator", true),
    /** A code other than Access-Accept or Access-Reject (Challenge, or something that is no answer at all). */
    UNEXPECTED_CODE("unexpected_code", true),
    /** A well-formed, authentic answer whose verdict differs from the synthetic truth. */
    VERDICT_MISMATCH("verdict_mismatch", true),
    /** EAP-TLS: an Access-Accept whose MS-MPPE keys are missing or differ from the client's own derivation. */
    MPPE_KEYS_MISMATCH("mppe_keys_mismatch", true),
    /** EAP-TLS: the conversation broke (a TLS alert, EAP out of order, a Challenge without EAP-TLS data). */
    EAP_PROTOCOL("eap_protocol", true),
    /** EAP-TLS with resumption asked for: the server ran a full handshake although the client offered a session. */
    NOT_RESUMED("not_resumed", false),
    /** Open loop only: the request was due but every id on every source port was busy until the run ended. */
    NOT_SENT("not_sent", false);

    private final String wire;
    private final boolean correctness;

    ReplyError(String wire, boolean correctness) {
        this.wire = wire;
        this.correctness = correctness;
    }

    /** The name used in the text and JSON reports. */
    public String wireName() {
        return wire;
    }

    /** True for errors that prove the server (or the path) answered wrongly, as opposed to not answering. */
    public boolean isCorrectnessError() {
        return correctness;
    }
}
