package io.nacgw.nacapi;

import java.util.concurrent.atomic.LongAdder;

/** Counters the gateway exports to Prometheus; read with {@link ApiServer#stats()}. */
final class ApiMetrics {
    final LongAdder requests = new LongAdder();
    final LongAdder errors4xx = new LongAdder();
    final LongAdder errors5xx = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder shed = new LongAdder();
    final LongAdder iseListings = new LongAdder();
    final LongAdder iseBatches = new LongAdder();
    final LongAdder iseActions = new LongAdder();
    final LongAdder iseDevices = new LongAdder();
    final LongAdder lookups = new LongAdder();
    final LongAdder ingested = new LongAdder();
    final LongAdder staleUpdates = new LongAdder();
    final LongAdder bulkRequests = new LongAdder();
    final LongAdder bulkCutOff = new LongAdder();
    final LongAdder slowClientsClosed = new LongAdder();
    /** Where answered requests' latencies go (nanoseconds); set once by the gateway's metrics. */
    volatile java.util.function.LongConsumer latency = n -> { };

    /** {@link #answered(long)} for a request refused before it was complete: counted, no latency. */
    static final long NO_START = Long.MIN_VALUE;

    /** Counts an answered request and records its latency from {@code startNanos} (unless {@link #NO_START}). */
    void answered(long startNanos) {
        requests.increment();
        if (startNanos != NO_START) {
            latency.accept(System.nanoTime() - startNanos);
        }
    }

    ApiStats snapshot() {
        return new ApiStats(requests.sum(), errors4xx.sum(), errors5xx.sum(), authFailures.sum(), shed.sum(),
                iseListings.sum(), iseBatches.sum(), iseActions.sum(), iseDevices.sum(), lookups.sum(), ingested.sum(),
                staleUpdates.sum(), bulkRequests.sum(), bulkCutOff.sum(), slowClientsClosed.sum());
    }
}
