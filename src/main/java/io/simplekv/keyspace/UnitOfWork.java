package io.simplekv.keyspace;

import io.simplekv.storage.StorageEngine;

import java.util.Arrays;

/**
 * How every command, EXEC, served blocked client and active-expiry step is atomic: it names the keys it will touch
 * (or everything), {@link #open} locks their shards in ascending order (so two units can never wait on each other
 * in a cycle) and opens the engine's write batch, and {@link #close} commits the batch, so its writes reach
 * storage whole, before the locks are released. Nothing else takes shard locks or brackets the engine.
 *
 * <p>Not thread-safe: one thread opens, uses and closes a unit.
 */
public final class UnitOfWork implements AutoCloseable {
    private final ShardLocks locks;
    private final StorageEngine engine;
    private final DeferredCommits deferred;
    private boolean deferrable;
    /** Opened as a member of the thread's deferred batch, whose shards it joined. */
    private boolean joined;
    private DeferredCommits.Batch batch;
    /** The first shard named, kept apart so the common one-key unit needs no array. */
    private int first = -1;
    private int[] more;
    private int count;
    private boolean everything;
    private boolean open;

    UnitOfWork(ShardLocks locks, StorageEngine engine, DeferredCommits deferred) {
        this.locks = locks;
        this.engine = engine;
        this.deferred = deferred;
    }

    /**
     * The unit may leave its commit to the end of the thread's read batch ({@link Keyspace#deferCommits}): its
     * writes reach storage with the batch's, before any reply of the batch is sent.
     */
    public UnitOfWork deferrable() {
        if (open) throw new IllegalStateException("a unit's keys are fixed once it is open");
        deferrable = true;
        return this;
    }

    /** The unit will touch this key (of any database: shards are the same stripes in each). */
    public UnitOfWork key(byte[] key) {
        if (open) throw new IllegalStateException("a unit's keys are fixed once it is open");
        int shard = ShardLocks.shardOf(key);
        if (first < 0) {
            first = shard;
            return this;
        }
        if (more == null) more = new int[8];
        else if (count == more.length) more = Arrays.copyOf(more, count * 2);
        more[count++] = shard;
        return this;
    }

    /** The unit may touch any key (FLUSHALL, SWAPDB, a SORT that reads keys it doesn't name, a script). */
    public UnitOfWork everything() {
        if (open) throw new IllegalStateException("a unit's keys are fixed once it is open");
        everything = true;
        return this;
    }

    /** Takes the locks in ascending shard order, then opens the engine's write batch. */
    public UnitOfWork open() {
        if (deferred != null) {
            batch = deferred.batch();
            if (batch.openUnits++ == 0 && batch.holding) {
                // Join the deferred batch when every shard is free to this thread; else it commits first, so this
                // thread never waits for a lock while holding others out of order, nor runs a unit that is not
                // deferrable (a served waiter, an eviction) beside writes not yet committed.
                if (deferrable && !everything && deferred.tryJoin(batch, first, more, count)) {
                    joined = true;
                    open = true;
                    engine.begin();
                    return this;
                }
                deferred.commit(batch);
            }
        }
        try {
            return lockAndBegin();
        } catch (RuntimeException | Error e) {
            if (batch != null) batch.openUnits--;
            throw e;
        }
    }

    private UnitOfWork lockAndBegin() {
        if (everything) {
            locks.lockEverything();
        } else if (more != null) {
            more = Arrays.copyOf(more, count + 1);
            more[count++] = first;
            count = ShardLocks.normalize(more, count);
            locks.lockAll(more, count);
        } else if (first >= 0) {
            locks.lock(first);
        }
        open = true;
        try {
            engine.begin();
        } catch (RuntimeException | Error e) {
            unlock();
            throw e;
        }
        return this;
    }

    /**
     * Applies the writes staged so far, for a step that reads a whole table (a scan, a size, a random key) after
     * this unit wrote: a persistent engine stages writes until {@link #close}, and its tables alone can't see them.
     */
    public void flush() {
        engine.flush();
    }

    /** Commits the batch (its failure is thrown, after the locks are released) and releases the locks. */
    @Override
    public void close() {
        if (!open) return;
        if (batch != null && --batch.openUnits == 0 && deferrable && !everything && batch.enabled()) {
            open = false;
            if (joined) engine.commit(); // leaves the batch open: the deferred batch's own level stays
            else deferred.adopt(batch, first, more, count);
            deferred.closed(batch);
            return;
        }
        try {
            engine.commit();
        } finally {
            unlock();
        }
    }

    private void unlock() {
        open = false;
        if (everything) locks.unlockEverything();
        else if (more != null) locks.unlockAll(more, count);
        else if (first >= 0) locks.unlock(first);
    }
}
