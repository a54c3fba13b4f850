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
    /** Measured requests (due in the window) not answered correctly: wrong, timed out or never sent. */
    final LongAdder measuredFailures = new LongAdder();
    /** Every datagram read from the server, warm-up, strays and wrong ones included: compare with what it sent. */
    final LongAdder received = new LongAdder();
    /** First transmissions whose actual send time fell inside the measured window: the achieved send rate. */
    final LongAdder windowSent = new LongAdder();
    /** Nanoseconds from a measured request's intended to its actual first transmission: how far behind the sender is. */
    final Recorder sendLag = new Recorder(3);
    /** Nanoseconds an event loop's 1 ms ticker ran late, inside the measured window: how long reads could wait. */
    final Recorder loopDelay = new Recorder(3);
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

    /** The final outcome of a request that failed; {@code measured}: it was due inside the measured window. */
    void failed(ReplyError e, boolean measured) {
        error(e);
        if (measured) {
            measuredFailures.increment();
        }
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
