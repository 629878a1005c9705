package io.simplekv.observe;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters behind INFO's stats section; LongAdder because every event loop bumps them. */
public final class ServerStats {
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    /** Commands not in the table; the table's own per-command counters give the rest of total_commands_processed. */
    public final LongAdder unknownCommands = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();

    public void reset() {
        for (LongAdder a : new LongAdder[] {connectionsReceived, rejectedConnections, unknownCommands,
                netInputBytes, netOutputBytes, keyspaceHits, keyspaceMisses, expiredKeys, evictedKeys, errorReplies}) {
            a.reset();
        }
    }
}
