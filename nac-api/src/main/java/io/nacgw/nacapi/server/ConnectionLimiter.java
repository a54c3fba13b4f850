package io.nacgw.nacapi.server;

import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.core.log.LogThrottle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections in total and per source address, so a flood of idle connections cannot exhaust the file
 * descriptors the store, the audit log and the operations port need. A connection over either cap is reset as soon
 * as it is accepted (before TLS), counted, and logged at most once per reason every 10 s.
 */
final class ConnectionLimiter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private final int maxTotal;
    private final int maxPerAddress;
    private final GuardMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    /** The admitted connections; a closed channel leaves the group by itself. */
    private final ChannelGroup connections = new DefaultChannelGroup("nacgw-api", GlobalEventExecutor.INSTANCE);
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final LogThrottle totalLog = LogThrottle.every(Duration.ofSeconds(10));
    private final LogThrottle addressLog = LogThrottle.every(Duration.ofSeconds(10));

    ConnectionLimiter(int maxTotal, int maxPerAddress, GuardMetrics metrics) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
    }

    /**
     * Admits a newly accepted connection (and releases it when it closes), or resets it; false when refused.
     */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            refuse(ch, totalLog, "the server has " + maxTotal + " connections open (api.maxConnections)");
            return false;
        }
        InetAddress address = address(ch.remoteAddress());
        if (address != null) {
            boolean[] admitted = {false};
            perAddress.compute(address, (a, n) -> {
                int v = n == null ? 0 : n;
                if (v >= maxPerAddress) {
                    return n;
                }
                admitted[0] = true;
                return v + 1;
            });
            if (!admitted[0]) {
                open.decrementAndGet();
                refuse(ch, addressLog, "the address has " + maxPerAddress
                        + " connections open (api.maxConnectionsPerAddress)");
                return false;
            }
        }
        connections.add(ch);
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            }
        });
        return true;
    }

    private static InetAddress address(SocketAddress a) {
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getAddress() : null;
    }

    private void refuse(Channel ch, LogThrottle throttle, String why) {
        metrics.connectionsRefused.increment();
        long suppressed = throttle.admit();
        if (suppressed >= 0) {
            log.warn("refused connection from {}: {} ({} more refused since the last warning)", ch.remoteAddress(),
                    why, suppressed);
        }
        ch.config().setOption(ChannelOption.SO_LINGER, 0); // a reset: no TIME_WAIT left behind for a flood
        ch.close();
    }

    /** The connections open now (a live view). */
    Iterable<Channel> connections() {
        return connections;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }
}
