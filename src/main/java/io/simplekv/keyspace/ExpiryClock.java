package io.simplekv.keyspace;

/**
 * The time a key's TTL is judged against. A script sees one instant from start to end, as Redis 7 freezes it
 * (a key set with PX 1 exists for the whole script, and nothing expires under it); otherwise the wall clock.
 * One per keyspace: while a script runs it holds every shard, so no other thread judges a key meanwhile.
 */
public final class ExpiryClock {
    /** The frozen instant in ms, or 0 when the clock runs. */
    private volatile long frozen;
    /** CLIENT PAUSE: an expired key reads as missing but is not deleted until the pause ends. */
    private volatile boolean deletionsHeld;

    public long now() {
        long f = frozen;
        return f != 0 ? f : System.currentTimeMillis();
    }

    /** A script starts: the clock stops where it is. */
    public void freeze() {
        frozen = System.currentTimeMillis();
    }

    public void thaw() {
        frozen = 0;
    }

    public void holdDeletions(boolean held) {
        deletionsHeld = held;
    }

    boolean deletionsHeld() {
        return deletionsHeld;
    }
}
