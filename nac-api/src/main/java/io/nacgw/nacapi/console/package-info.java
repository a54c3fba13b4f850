/**
 * The operator console: its own paths and sign-in ({@link io.nacgw.nacapi.console.ConsoleHandler}), the admin
 * routes its pages call ({@link io.nacgw.nacapi.console.ConsoleApi}), the live event streams
 * ({@link io.nacgw.nacapi.console.EventStreamHandler}), the static assets and their security headers
 * ({@link io.nacgw.nacapi.console.ConsoleAssets}), the bounded, lossy fan-out of decisions
 * ({@link io.nacgw.nacapi.console.DecisionFeed}) and what the gateway plugs in
 * ({@link io.nacgw.nacapi.console.ConsoleServices}, {@link io.nacgw.nacapi.console.AdminOperation}). Browser
 * sessions themselves are authentication ({@code io.nacgw.nacapi.auth.ConsoleSessions}).
 */
package io.nacgw.nacapi.console;
