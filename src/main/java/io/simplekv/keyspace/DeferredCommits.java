package io.simplekv.keyspace;

import io.netty.util.concurrent.FastThreadLocal;
import io.simplekv.storage.StorageEngine;

/**
 * Group commit for an engine that stages writes (chronicle): the commands of one client's read batch share one
 * write batch, so a pipeline of 16 SETs costs one journal record and one map write per key instead of 16. A unit
 * of work the caller marks deferrable does not commit when it closes; its shards stay locked by this thread and
 * its writes staged, and the next deferrable unit joins them if it can take its own shards without waiting. The
 * batch commits when the read batch ends ({@link #end}, before any reply leaves), when a unit that is not
 * deferrable opens on the thread (so a served waiter, an eviction or a PUBLISH never sees, or makes visible, a
 * write not yet committed), when a shard is busy, or after {@link #MAX_COMMANDS}.
 *
 * <p>Locks are held out of ascending order across units here, so this thread never waits for a lock while it
 * holds deferred ones: a busy shard commits and releases the batch first. Other threads wait for the batch's end
 * at most, which is bounded by one read of a socket.
 */
final class DeferredCommits {
    private static final int MAX_COMMANDS = 1024;

    private final ShardLocks locks;
    private final StorageEngine engine;
    private final FastThreadLocal<Batch> current = new FastThreadLocal<>() {
        @Override
        protected Batch initialValue() {
            return new Batch();
        }
    };

    /** One thread's deferral: whether it is on, the shards its open batch holds, and whether a commit failed. */
    static final class Batch {
        Object owner;
        boolean holding;
        final boolean[] held = new boolean[ShardLocks.SHARDS];
        final int[] order = new int[ShardLocks.SHARDS];
        int shards;
        int commands;
        /** Units open on this thread: one opened inside another takes no part in deferral. */
        int openUnits;
        RuntimeException failure;

        boolean enabled() {
            return owner != null;
        }
    }

    DeferredCommits(ShardLocks locks, StorageEngine engine) {
        this.locks = locks;
        this.engine = engine;
    }

    Batch batch() {
        return current.get();
    }

    /** Deferral starts on this thread for {@code owner}'s read batch (a batch left open by a missed end commits). */
    void begin(Object owner) {
        Batch b = current.get();
        if (b.owner == owner) return;
        if (b.holding) commit(b);
        b.owner = owner;
        b.failure = null;
    }

    /**
     * Commits what the thread deferred for {@code owner} and turns deferral off; false if a commit of this read
     * batch failed, when none of its replies may say its writes are stored. Another owner's call changes nothing.
     */
    boolean end(Object owner) {
        Batch b = current.get();
        if (b.owner != owner || b.openUnits > 0) return true;
        if (b.holding) commit(b);
        b.owner = null;
        RuntimeException failed = b.failure;
        b.failure = null;
        return failed == null;
    }

    /**
     * Takes the shards a joining unit needs without waiting: those the batch holds already cost nothing, the
     * others are tried; false as soon as one is busy (the ones taken stay with the batch, released at its commit).
     */
    boolean tryJoin(Batch b, int first, int[] more, int count) {
        if (first >= 0 && !take(b, first)) return false;
        for (int i = 0; i < count; i++) if (!take(b, more[i])) return false;
        return true;
    }

    private boolean take(Batch b, int shard) {
        if (b.held[shard]) return true;
        if (!locks.tryLock(shard)) return false;
        b.held[shard] = true;
        b.order[b.shards++] = shard;
        return true;
    }

    /** The first deferrable unit of a batch closes: the batch keeps its shards (each locked once) and its writes. */
    void adopt(Batch b, int first, int[] more, int count) {
        if (first >= 0 && more == null) adoptOne(b, first);
        for (int i = 0; more != null && i < count; i++) adoptOne(b, more[i]);
        b.holding = true;
    }

    private static void adoptOne(Batch b, int shard) {
        b.held[shard] = true;
        b.order[b.shards++] = shard;
    }

    /** A deferred unit closed; the batch commits once it has run long enough. */
    void closed(Batch b) {
        if (++b.commands >= MAX_COMMANDS && b.openUnits == 0) commit(b);
    }

    /** Applies the batch's writes (one journal record, one map write per key) and releases its shards. */
    void commit(Batch b) {
        try {
            engine.commit();
        } catch (RuntimeException e) {
            if (b.failure == null) b.failure = e;
        } finally {
            for (int i = b.shards - 1; i >= 0; i--) {
                int shard = b.order[i];
                b.held[shard] = false;
                locks.unlock(shard);
            }
            b.shards = 0;
            b.commands = 0;
            b.holding = false;
        }
    }
}
