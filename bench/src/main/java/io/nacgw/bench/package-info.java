/**
 * Benchmarks: JMH for the hot in-memory paths ({@link io.nacgw.bench.LookupDecideBenchmark}; the whole RADIUS
 * request path is {@code io.nacgw.radius.server.RadiusRequestPathBenchmark}, in radius's package to reach the
 * session writer's idle wait) and a harness for
 * start-up load time and heap per device ({@link io.nacgw.bench.IndexFootprint}). Commands in docs/benchmarks.md.
 */
package io.nacgw.bench;
