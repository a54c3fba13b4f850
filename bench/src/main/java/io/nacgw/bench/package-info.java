/**
 * Benchmarks: JMH for the hot in-memory paths ({@link io.nacgw.bench.LookupDecideBenchmark}) and a harness for
 * start-up load time and heap per device ({@link io.nacgw.bench.IndexFootprint}). Commands in docs/benchmarks.md.
 */
package io.nacgw.bench;
