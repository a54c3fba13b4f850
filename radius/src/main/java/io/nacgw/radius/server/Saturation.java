package io.nacgw.radius.server;

import io.nacgw.core.net.UdpSockets;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the RADIUS ports have more work than CPU, as the Accept recorder asks before it takes more of it: the
 * kernel dropped datagrams at the ports' receive buffers, or {@code radius.maxRequestsPerSecond} dropped some, since
 * the last look; or more than {@link #BACKLOG_BYTES} wait unread in the ports' sockets (about 80 MAB requests on
 * loopback: several milliseconds of work even on a fast machine, which a server with CPU to spare drains between two
 * looks). The sockets are read from {@code /proc/net/udp} ({@link UdpSockets}): not per request, per look. Not
 * thread-safe: one caller.
 */
final class Saturation {
    /** Bytes (the kernel's accounting size) waiting unread in the ports' sockets that count as a backlog. */
    static final long BACKLOG_BYTES = 64 * 1024;

    private final LongSupplier overloaded;
    private volatile Supplier<UdpSockets.Totals> sockets = () -> new UdpSockets.Totals(0, 0);
    private long lastShed = -1;

    /** {@code overloaded}: datagrams dropped over the configured rate so far. */
    Saturation(LongSupplier overloaded) {
        this.overloaded = overloaded;
    }

    /** Where the ports' sockets are read, once they are bound. */
    void watch(Supplier<UdpSockets.Totals> sockets) {
        this.sockets = sockets;
    }

    /** Looks now: true when datagrams were shed since the last look (not before the first), or a backlog waits. */
    boolean look() {
        UdpSockets.Totals t = sockets.get();
        long shed = t.drops() + overloaded.getAsLong();
        boolean grew = lastShed >= 0 && shed > lastShed;
        lastShed = shed;
        return grew || t.queuedBytes() > BACKLOG_BYTES;
    }
}
