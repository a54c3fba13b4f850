package io.nacgw.radius.eap;

/**
 * EAP counters for metrics. Counters only grow, except {@code conversations} and {@code tlsSessionsCached}.
 *
 * @param conversations      conversations held now
 * @param started            conversations started (EAP-Response/Identity without State)
 * @param challenges         Access-Challenges sent
 * @param authenticated      conversations that authenticated (the profile then decided)
 * @param rejected           EAP rejections (bad certificate, wrong MD5 password, unsupported method, …)
 * @param unknownState       of which: State unknown, expired or from another NAS
 * @param evicted            conversations pushed out because the table was full
 * @param expired            conversations forgotten after the idle timeout
 * @param tlsFull            full EAP-TLS handshakes completed
 * @param tlsResumed         resumed EAP-TLS handshakes completed
 * @param tlsSessionsCached  TLS sessions held for resumption
 * @param crlFetchFailures   failed fetches of CRL URLs
 * @param ocspGood           OCSP statuses looked at (fetched or cached): good
 * @param ocspRevoked        … revoked
 * @param ocspUnknown        … unknown to the responder
 * @param ocspUnavailable    … not obtained (responder down, bad answer, no URL)
 * @param ocspRequests       HTTP requests sent to OCSP responders
 * @param tlsResumedByTicket of {@code tlsResumed}: resumed from a TLS 1.2 session ticket (the rest by session id)
 * @param ticketsIssued      TLS 1.2 session tickets issued (NewSessionTicket)
 * @param ticketsNotIssued   tickets left empty because the session (its client chain) would not fit 64 KiB
 * @param ticketsUnknownKey  tickets presented but sealed with a key this gateway does not hold (full handshake)
 * @param ticketsInvalid     … altered or malformed (tag or content wrong)
 * @param ticketsExpired     … older than {@code radius.eap.tls.sessionLifetime}
 */
public record EapStats(long conversations, long started, long challenges, long authenticated, long rejected,
                       long unknownState, long evicted, long expired, long tlsFull, long tlsResumed,
                       long tlsSessionsCached, long crlFetchFailures, long ocspGood, long ocspRevoked,
                       long ocspUnknown, long ocspUnavailable, long ocspRequests, long tlsResumedByTicket,
                       long ticketsIssued, long ticketsNotIssued, long ticketsUnknownKey, long ticketsInvalid,
                       long ticketsExpired) {
}
