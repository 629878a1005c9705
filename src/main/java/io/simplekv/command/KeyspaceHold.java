package io.simplekv.command;

import io.simplekv.keyspace.Keyspace;

/**
 * The script thread's hold on every shard across a run of queued scripts: each script's unit of work locks
 * everything, and taking 256 locks per script cost more than a small script itself. The hold is dropped when the
 * queue runs dry, after {@link #MAX_TASKS} scripts, or as soon as another thread waits for a shard (active expiry,
 * or an event loop that passed the script gate just before it closed), so none of them waits behind a stream of
 * scripts. Used by the script thread only.
 */
final class KeyspaceHold {
    private static final int MAX_TASKS = 64;
    /** How long the script thread waits, at most, for the threads it let in to take their shards. */
    private static final long LET_IN_NANOS = 1_000_000;

    private final Keyspace keyspace;
    private boolean held;
    private int tasks;

    KeyspaceHold(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    void enter() {
        if (held) return;
        keyspace.holdEverything();
        held = true;
        tasks = 0;
    }

    /** A script is done; {@code more} says whether another one is queued behind it. */
    void leave(boolean more) {
        if (!held) return;
        if (more && ++tasks < MAX_TASKS && !keyspace.lockWanted()) return;
        held = false;
        keyspace.releaseEverything();
        // Locks are not fair: without a pause the next script would take them back before a woken waiter could.
        long until = System.nanoTime() + LET_IN_NANOS;
        while (more && keyspace.lockWanted() && System.nanoTime() < until) Thread.onSpinWait();
    }
}
