/**
 * The vocabulary every part of the HTTPS API shares, and the plain-HTTP operations port. Request and answer
 * ({@link io.nacgw.nacapi.ApiRequest}, {@link io.nacgw.nacapi.ApiResponse}, {@link io.nacgw.nacapi.ApiException}),
 * routes ({@link io.nacgw.nacapi.Route}, {@link io.nacgw.nacapi.Routes}: matched once, by authentication, which
 * hands the match on as an {@link io.nacgw.nacapi.Admission}), callers ({@link io.nacgw.nacapi.ApiPrincipal},
 * {@link io.nacgw.nacapi.ApiRole}), the one class that writes HTTP responses
 * ({@link io.nacgw.nacapi.HttpResponses}), the error policy ({@link io.nacgw.nacapi.ErrorMapper},
 * {@link io.nacgw.nacapi.ErrorResponses}, {@link io.nacgw.nacapi.PeerErrors}), the body writers (JSON, XML),
 * counters, and {@link io.nacgw.nacapi.MetricsServer} with {@link io.nacgw.nacapi.Health}.
 *
 * <p>The packages below depend on this one and never the other way round: {@code server} (bind, pipeline, routing)
 * → {@code console}, {@code sessions}, {@code ingest} → {@code json}, {@code ise}, {@code auth} → here. Types are
 * public only where another package or module uses them; {@code ArchitectureTest} keeps the packages free of cycles.
 */
package io.nacgw.nacapi;
