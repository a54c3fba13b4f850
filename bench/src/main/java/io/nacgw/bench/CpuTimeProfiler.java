package io.nacgw.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler ({@code -prof io.nacgw.bench.CpuTimeProfiler}) that reports the CPU time of the whole benchmark
 * process (every thread: the benchmark's, the writers it hands work to, GC and JIT) per operation, as
 * {@code cpu.time.norm} in µs/op. On a shared, busy machine the CPU a request costs moves far less than the wall time
 * it takes, so this is the figure to compare between commits there (with {@code -prof gc}'s bytes per operation).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBefore;

    @Override
    public String getDescription() {
        return "process CPU time (all threads) per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", cpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
    }
}
