/**
 * The operator console's server-side parts that know no Netty: browser sessions with CSRF tokens
 * ({@link io.nacgw.nacapi.console.ConsoleSessions}), the static assets and the security headers that go with them
 * ({@link io.nacgw.nacapi.console.ConsoleAssets}), and the bounded, lossy fan-out of decisions to live streams
 * ({@link io.nacgw.nacapi.console.DecisionFeed}). The HTTP side (login, the event streams, the admin routes the
 * pages call) is in {@code io.nacgw.nacapi}, next to the pipeline it is part of.
 */
package io.nacgw.nacapi.console;
