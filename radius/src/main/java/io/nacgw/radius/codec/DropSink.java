package io.nacgw.radius.codec;

import io.nacgw.radius.DropReason;

import java.net.InetSocketAddress;

/** Where a handler reports a dropped datagram: counted, and logged at a bounded rate. */
@FunctionalInterface
public interface DropSink {
    /** Records a drop of a datagram from {@code source}; {@code detail} is for the log and never holds a secret. */
    void drop(DropReason reason, InetSocketAddress source, String detail);
}
