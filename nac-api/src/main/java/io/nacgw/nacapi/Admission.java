package io.nacgw.nacapi;

import io.netty.util.AttributeKey;

import java.util.Objects;

/**
 * What authentication decided about a request head, handed to the request decoder on the channel: who is calling
 * and the route the request resolved to. The route is matched once, by authentication (which needs its group);
 * the router dispatches to the one resolved here.
 */
public record Admission(ApiPrincipal principal, Routes.Match route) {
    /** Set by authentication for the request whose head it just let through; taken by the decoder. */
    public static final AttributeKey<Admission> KEY = AttributeKey.valueOf("nacgw.admission");

    public Admission {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(route, "route");
    }
}
