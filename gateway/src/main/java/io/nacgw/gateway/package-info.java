/**
 * The runnable gateway: {@link io.nacgw.gateway.Main} (the {@code nacgw} command line) and
 * {@link io.nacgw.gateway.Gateway} (wiring and lifecycle of store, index, policy and the protocol servers).
 */
package io.nacgw.gateway;
