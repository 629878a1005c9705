package io.simplekv.command;

import java.util.concurrent.atomic.LongAdder;

/** Per-command counters for INFO commandstats and latencystats, mutable beside the otherwise immutable spec. */
public final class CommandStats {
    /** Latency buckets by powers of two from 1024 ns (about 1 us) up: Redis's log iteration of its histogram. */
    public static final int BUCKETS = 40;

    public final LongAdder calls = new LongAdder();
    public final LongAdder nanos = new LongAdder();
    public final LongAdder rejectedCalls = new LongAdder();
    public final LongAdder failedCalls = new LongAdder();
    /**
     * How many calls took at most 1024 << i ns (and more than the bucket before): LATENCY HISTOGRAM's data. Adders,
     * not one atomic array, so two event loops running the same command don't fight over one cache line.
     */
    private final LongAdder[] latency = new LongAdder[BUCKETS];

    public CommandStats() {
        for (int i = 0; i < BUCKETS; i++) latency[i] = new LongAdder();
    }

    public void reset() {
        calls.reset();
        nanos.reset();
        rejectedCalls.reset();
        failedCalls.reset();
        for (LongAdder bucket : latency) bucket.reset();
    }

    /** One call's duration, for the histogram (latency-tracking). */
    void recordLatency(long ns) {
        latency[bucket(ns)].increment();
    }

    static int bucket(long ns) {
        if (ns <= 1024) return 0;
        return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros((ns - 1) >>> 10));
    }

    /** The upper bound of bucket i, in microseconds (1024 << i ns). */
    public static long bucketMicros(int i) {
        return (1024L << i) / 1000;
    }

    public long latencyCount(int bucket) {
        return latency[bucket].sum();
    }
}
