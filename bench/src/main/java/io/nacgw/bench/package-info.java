/**
 * Benchmarks: JMH for the hot in-memory paths ({@link io.nacgw.bench.LookupDecideBenchmark}; the whole RADIUS
 * request path is {@code io.nacgw.radius.server.RadiusRequestPathBenchmark}, in radius's package to reach the
 * session writer's idle wait), the session table's writes in a storm of new endpoints
 * ({@link io.nacgw.bench.SessionRecorderBenchmark}) and the heap the index holds per device
 * ({@link io.nacgw.bench.IndexFootprint}).
 * {@code bench/index.sh} runs both index figures; commands in docs/benchmarks.md.
 */
package io.nacgw.bench;
