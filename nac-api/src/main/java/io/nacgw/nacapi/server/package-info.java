/**
 * The HTTPS server: {@link io.nacgw.nacapi.server.ApiServer} binds and owns the event loops and worker pools,
 * {@link io.nacgw.nacapi.server.ApiInitializer} lists the pipeline (connection cap, TLS, idle close, request
 * deadline, HTTP/1.1 or HTTP/2, console, auth, event streams, bulk stream, aggregator, typed request, router, last
 * error handler). Public: the server, its settings and the TLS engine factory; the handlers are package-private.
 */
package io.nacgw.nacapi.server;
