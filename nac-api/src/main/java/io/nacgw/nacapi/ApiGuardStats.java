package io.nacgw.nacapi;

import java.util.Map;

/**
 * Counters of the API's abuse defences since start, for the metrics endpoint.
 *
 * @param connectionsOpen          HTTPS connections open now
 * @param connectionsRefused       connections reset on accept: over {@code api.maxConnections} or
 *                                 {@code api.maxConnectionsPerAddress}
 * @param revokedConnectionsClosed open connections closed because the CRL now revokes their client certificate
 * @param basicVerifications       PBKDF2 verifications of Basic credentials actually run
 * @param basicCoalesced           Basic requests that waited for a verification of the same credential already running
 * @param basicShed                Basic requests with an unknown credential refused (503) because the verifier was busy
 * @param peerErrors               peer-triggered failures by reason ({@code tls_handshake}, {@code tls},
 *                                 {@code http2_protocol}, {@code http_decode}, {@code connection_reset})
 */
public record ApiGuardStats(long connectionsOpen, long connectionsRefused, long revokedConnectionsClosed,
                            long basicVerifications, long basicCoalesced, long basicShed,
                            Map<String, Long> peerErrors) {
    public ApiGuardStats {
        peerErrors = Map.copyOf(peerErrors);
    }
}
