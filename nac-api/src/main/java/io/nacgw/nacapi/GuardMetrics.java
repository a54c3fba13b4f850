package io.nacgw.nacapi;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the abuse defences (connection caps, peer errors, revocation, Basic-auth work); see {@link ApiGuardStats}. */
final class GuardMetrics {
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder revokedConnectionsClosed = new LongAdder();
    final LongAdder basicVerifications = new LongAdder();
    final LongAdder basicCoalesced = new LongAdder();
    final LongAdder basicShed = new LongAdder();
    final PeerErrors peerErrors;

    GuardMetrics() {
        this(new PeerErrors());
    }

    GuardMetrics(PeerErrors peerErrors) {
        this.peerErrors = peerErrors;
    }

    ApiGuardStats snapshot(int connectionsOpen) {
        return new ApiGuardStats(connectionsOpen, connectionsRefused.sum(), revokedConnectionsClosed.sum(),
                basicVerifications.sum(), basicCoalesced.sum(), basicShed.sum(), peerErrors.snapshot());
    }
}
