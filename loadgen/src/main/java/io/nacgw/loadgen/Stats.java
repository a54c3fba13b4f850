package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.ReplyError;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by the event loops (writers) and the reporting thread (reader). */
final class Stats {
    final Recorder latency = new Recorder(3); // nanoseconds, auto-resizing
    final LongAdder sent = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder measuredAnswers = new LongAdder();
    final LongAdder measuredOk = new LongAdder();
    /** Correct answers received inside the measured window (after the warm-up, before the duration ends): throughput. */
    final LongAdder windowAnswers = new LongAdder();
    final LongAdder warmupCompleted = new LongAdder();
    final LongAdder strayAnswers = new LongAdder();
    final LongAdder socketErrors = new LongAdder();
    final Map<ReplyError, LongAdder> errors = new EnumMap<>(ReplyError.class);
    /** "class verdict" → count, e.g. "compliant accept:100". */
    final Map<String, LongAdder> verdicts = new ConcurrentHashMap<>();
    volatile long lastAnswerNanos;

    Stats() {
        for (ReplyError e : ReplyError.values()) {
            errors.put(e, new LongAdder());
        }
    }

    void error(ReplyError e) {
        errors.get(e).increment();
    }

    long errors() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        return n;
    }

    void verdict(TargetClass c, String verdict) {
        verdicts.computeIfAbsent(c.wireName() + " " + verdict, k -> new LongAdder()).increment();
    }
}
