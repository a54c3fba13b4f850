/**
 * The running gateway: {@link io.nacgw.gateway.Gateway} (wiring and lifecycle of store, index, policy and the
 * protocol servers) and the operations it serves. Packages depend one way: {@code cli} (the {@code nacgw} command
 * line, {@link io.nacgw.gateway.cli.Main}) → this package → {@code config} (the typed configuration) and
 * {@code imports}; {@code ArchitectureTest} fails on a package cycle.
 */
package io.nacgw.gateway;
