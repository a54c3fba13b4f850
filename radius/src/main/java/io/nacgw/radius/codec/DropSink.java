package io.nacgw.radius.codec;

import io.nacgw.radius.DropReason;

import java.net.InetSocketAddress;

/** Where a handler reports a dropped datagram: counted, and logged at a bounded rate. */
@FunctionalInterface
public interface DropSink {
    /**
     * Records a drop of a datagram from {@code source}, or (source null) of something nacgw refused itself, a CoA:
     * then {@code detail} names who refused it. {@code detail} is for the log and never holds a secret.
     */
    void drop(DropReason reason, InetSocketAddress source, String detail);
}
