package io.simplekv.keyspace;

import io.simplekv.storage.ByteHash;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks behind {@link UnitOfWork}, which alone takes them. How every command is atomic: the key space is striped into shards by key hash (the same stripe in every
 * database, so cross-database commands like MOVE need no extra rule). A command locks the shards of all the keys
 * it names, always in ascending shard order, so two multi-key commands can never wait on each other in a cycle.
 * Commands that touch everything (FLUSHALL, SWAPDB) take every shard, again in order.
 */
public final class ShardLocks {
    public static final int SHARDS = 256;

    private final ReentrantLock[] locks = new ReentrantLock[SHARDS];
    /**
     * The thread holding every shard, and how many times over: a nested everything-unit (each script of a run of
     * scripts the script thread holds the keyspace for) costs a count, not 256 lock operations.
     */
    private Thread everythingOwner;
    private int everythingDepth;

    ShardLocks() {
        for (int i = 0; i < SHARDS; i++) locks[i] = new ReentrantLock();
    }

    public static int shardOf(byte[] key) {
        return (int) (ByteHash.hash(key) >>> 56) & (SHARDS - 1);
    }

    void lock(int shard) {
        locks[shard].lock();
    }

    boolean tryLock(int shard) {
        return locks[shard].tryLock();
    }

    void unlock(int shard) {
        locks[shard].unlock();
    }

    /** Sorts and de-duplicates the shard numbers in place, returning how many distinct ones there are. */
    static int normalize(int[] shards, int n) {
        Arrays.sort(shards, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || shards[distinct - 1] != shards[i]) shards[distinct++] = shards[i];
        }
        return distinct;
    }

    /** Locks shards[0..n) which must be sorted and distinct. */
    void lockAll(int[] shards, int n) {
        for (int i = 0; i < n; i++) locks[shards[i]].lock();
    }

    void unlockAll(int[] shards, int n) {
        for (int i = n - 1; i >= 0; i--) locks[shards[i]].unlock();
    }

    void lockEverything() {
        // Only the owner ever sets the field to itself, so a stale read elsewhere can never match.
        if (everythingOwner == Thread.currentThread()) {
            everythingDepth++;
            return;
        }
        for (ReentrantLock l : locks) l.lock();
        everythingOwner = Thread.currentThread();
        everythingDepth = 1;
    }

    /** Another thread waits for some shard (active expiry, a client's command racing the script gate). */
    boolean contended() {
        for (ReentrantLock l : locks) if (l.hasQueuedThreads()) return true;
        return false;
    }

    void unlockEverything() {
        if (--everythingDepth > 0) return;
        everythingOwner = null;
        for (int i = SHARDS - 1; i >= 0; i--) locks[i].unlock();
    }
}
