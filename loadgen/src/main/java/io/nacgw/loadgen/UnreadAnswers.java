package io.nacgw.loadgen;

import io.nacgw.core.net.UdpSockets;

import java.util.Set;

/**
 * Bytes of answers waiting unread in the receive buffers of the generator's own UDP sockets ({@code rx_queue} of
 * {@code /proc/net/udp{,6}}, through {@link UdpSockets}), sampled while a run is measured. It tells whether answers sat
 * at the generator before being read: latency is taken when an answer is read, so an answer that waited there is
 * counted late although the server sent it in time. Java and Netty do not expose kernel receive timestamps
 * (SO_TIMESTAMPNS), so this and the event loop's own delay are what the generator can honestly measure. Elsewhere
 * than Linux: 0.
 */
final class UnreadAnswers {
    private final Set<Integer> ports;
    private long samples;
    private long sum;
    private long max;

    UnreadAnswers(Set<Integer> ports) {
        this.ports = Set.copyOf(ports);
    }

    /** Reads the tables once and records the total over the ports. */
    void sample() {
        record(ports.isEmpty() ? 0 : UdpSockets.of(ports).queuedBytes());
    }

    void record(long bytes) {
        samples++;
        sum += bytes;
        max = Math.max(max, bytes);
    }

    long maxBytes() {
        return max;
    }

    /** Mean over the samples; 0 without any. */
    double meanBytes() {
        return samples == 0 ? 0 : (double) sum / samples;
    }
}
