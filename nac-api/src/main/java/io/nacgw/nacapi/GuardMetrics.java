package io.nacgw.nacapi;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the abuse defences (connection caps, peer errors, revocation, Basic-auth work); see {@link ApiGuardStats}. */
public final class GuardMetrics {
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder revokedConnectionsClosed = new LongAdder();
    public final LongAdder basicVerifications = new LongAdder();
    public final LongAdder basicCoalesced = new LongAdder();
    public final LongAdder basicShed = new LongAdder();
    public final PeerErrors peerErrors;

    public GuardMetrics() {
        this(new PeerErrors());
    }

    public GuardMetrics(PeerErrors peerErrors) {
        this.peerErrors = peerErrors;
    }

    public ApiGuardStats snapshot(int connectionsOpen) {
        return new ApiGuardStats(connectionsOpen, connectionsRefused.sum(), revokedConnectionsClosed.sum(),
                basicVerifications.sum(), basicCoalesced.sum(), basicShed.sum(), peerErrors.snapshot());
    }
}
