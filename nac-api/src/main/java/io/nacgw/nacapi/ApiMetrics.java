package io.nacgw.nacapi;

import java.util.concurrent.atomic.LongAdder;

/** Counters the gateway exports to Prometheus; read with {@link io.nacgw.nacapi.server.ApiServer#stats()}. */
public final class ApiMetrics {
    public final LongAdder requests = new LongAdder();
    public final LongAdder errors4xx = new LongAdder();
    public final LongAdder errors5xx = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder shed = new LongAdder();
    public final LongAdder iseListings = new LongAdder();
    public final LongAdder iseBatches = new LongAdder();
    public final LongAdder iseActions = new LongAdder();
    public final LongAdder iseDevices = new LongAdder();
    public final LongAdder lookups = new LongAdder();
    public final LongAdder ingested = new LongAdder();
    public final LongAdder staleUpdates = new LongAdder();
    public final LongAdder bulkRequests = new LongAdder();
    public final LongAdder bulkCutOff = new LongAdder();
    public final LongAdder slowClientsClosed = new LongAdder();
    /** Where answered requests' latencies go (nanoseconds); set once by the gateway's metrics. */
    public volatile java.util.function.LongConsumer latency = n -> { };

    /** {@link #answered(long)} for a request refused before it was complete: counted, no latency. */
    public static final long NO_START = Long.MIN_VALUE;

    /** Counts an answered request and records its latency from {@code startNanos} (unless {@link #NO_START}). */
    public void answered(long startNanos) {
        requests.increment();
        if (startNanos != NO_START) {
            latency.accept(System.nanoTime() - startNanos);
        }
    }

    public ApiStats snapshot() {
        return new ApiStats(requests.sum(), errors4xx.sum(), errors5xx.sum(), authFailures.sum(), shed.sum(),
                iseListings.sum(), iseBatches.sum(), iseActions.sum(), iseDevices.sum(), lookups.sum(), ingested.sum(),
                staleUpdates.sum(), bulkRequests.sum(), bulkCutOff.sum(), slowClientsClosed.sum());
    }
}
