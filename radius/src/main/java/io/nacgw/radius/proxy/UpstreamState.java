package io.nacgw.radius.proxy;

import java.util.Locale;

/** An upstream's health as nacgw sees it (the terms of FreeRADIUS's home servers). */
public enum UpstreamState {
    /** Answering: gets requests. */
    ALIVE,
    /** Missed a request or a probe: gets requests only when no upstream of its pool is alive; probed. */
    ZOMBIE,
    /** Missed {@code deadAfter} probes in a row: gets no requests until {@code reviveAfter} probes are answered. */
    DEAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
