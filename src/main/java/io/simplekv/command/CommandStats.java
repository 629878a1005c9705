package io.simplekv.command;

import java.util.concurrent.atomic.LongAdder;

/** Per-command counters for INFO commandstats, mutable beside the otherwise immutable spec. */
public final class CommandStats {
    public final LongAdder calls = new LongAdder();
    public final LongAdder nanos = new LongAdder();
    public final LongAdder rejectedCalls = new LongAdder();
    public final LongAdder failedCalls = new LongAdder();

    public void reset() {
        calls.reset();
        nanos.reset();
        rejectedCalls.reset();
        failedCalls.reset();
    }
}
