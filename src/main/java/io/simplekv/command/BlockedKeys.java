package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.ShardLocks;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients blocked on keys, as Redis's blocking_keys and ready_keys: per (db, key) the waiters in the order they
 * blocked, and the keys that were written since someone last looked. Lives beside the storage, never inside it.
 *
 * <p>A waiter is registered while its command still holds the shard locks of all its keys, and every write command
 * signals its keys while holding theirs, so a push can never slip between "the list is empty" and "the client is
 * waiting". Serving ({@link #serveReady}) happens after the writing command has returned and released its locks, so
 * a MULTI/EXEC or a multi-element LPUSH is seen whole, as in Redis.
 */
public final class BlockedKeys {
    private static final byte[] TIMED_OUT = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNBLOCKED = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final ConcurrentHashMap<DbKey, ConcurrentLinkedQueue<BlockedClient>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<DbKey> ready = new ConcurrentLinkedQueue<>();
    private final Set<DbKey> readySet = ConcurrentHashMap.newKeySet();
    private final AtomicInteger blocked = new AtomicInteger();
    /** Told of each waiter served and how long its serve took (µs): Redis slow-logs a blocked command then. */
    private final java.util.function.ObjLongConsumer<BlockedClient> onServed;

    public BlockedKeys(java.util.function.ObjLongConsumer<BlockedClient> onServed) {
        this.onServed = onServed;
    }

    /** INFO's blocked_clients. */
    public int blockedClients() {
        return blocked.get();
    }

    /** Cheap test for the write path: most of the time nobody waits on anything. */
    public boolean anyWaiting() {
        return !waiting.isEmpty();
    }

    public boolean anyReady() {
        return !ready.isEmpty();
    }

    /**
     * Parks the client on its keys; {@code timeoutMs} 0 waits forever. The caller holds the keys' shard locks and
     * has written no reply: the client's handler holds back its later requests until the wait ends.
     */
    public void block(BlockedClient w, long timeoutMs) {
        Session c = w.client();
        c.blocked(w);
        blocked.incrementAndGet();
        for (DbKey k : distinctKeys(w)) {
            waiting.compute(k, (key, q) -> {
                ConcurrentLinkedQueue<BlockedClient> queue = q == null ? new ConcurrentLinkedQueue<>() : q;
                queue.add(w);
                return queue;
            });
        }
        if (timeoutMs > 0) {
            w.timeout(c.link().schedule(() -> end(w, w.isPause() ? OK : TIMED_OUT), timeoutMs));
        }
    }

    /** A write command changed this key; remembered only if someone waits on it. */
    public void signal(int db, byte[] key) {
        DbKey probe = DbKey.probe(db, key);
        if (!waiting.containsKey(probe)) return;
        DbKey k = DbKey.copyOf(db, key);
        if (readySet.add(k)) ready.add(k);
    }

    /** FLUSHALL, SWAPDB, MOVE and the like: every waited-on key may have changed. */
    public void signalAll() {
        for (DbKey k : waiting.keySet()) {
            if (readySet.add(k)) ready.add(k);
        }
    }

    /**
     * Redis's handleClientsBlockedOnKeys: for each key written since the last look, offer it to its waiters first
     * blocked first, each under the shard locks of the key (and of BLMOVE's destination, in ascending order), until
     * the key is gone. A serve that writes (BLMOVE's push) signals more keys; the loop runs until none is left.
     * Called by whoever wrote, after its command returned and dropped its own locks.
     */
    public void serveReady(Keyspace keyspace) {
        ShardLocks locks = keyspace.locks();
        DbKey k;
        while ((k = ready.poll()) != null) {
            readySet.remove(k); // before serving, so a write during the serve signals it again
            byte[] key = k.key().array();
            ConcurrentLinkedQueue<BlockedClient> q = waiting.get(k);
            if (q == null) continue;
            for (BlockedClient w : new ArrayList<>(q)) {
                int[] shards = w.target() == null ? new int[] {ShardLocks.shardOf(key)}
                        : new int[] {ShardLocks.shardOf(key), ShardLocks.shardOf(w.target())};
                int n = ShardLocks.normalize(shards, shards.length);
                ByteBuf reply = null;
                boolean keyLeft;
                long start = System.nanoTime();
                locks.lockAll(shards, n);
                try {
                    reply = serveOne(w, key);
                    keyLeft = keyspace.db(k.db()).exists(key);
                } finally {
                    locks.unlockAll(shards, n);
                }
                if (reply != null) {
                    forget(w);
                    onServed.accept(w, (System.nanoTime() - start) / 1000);
                    w.client().link().resume(reply);
                }
                if (!keyLeft) break;
            }
        }
    }

    /** The reply for one waiter if the key could serve it (an error reply counts, as BLMOVE's WRONGTYPE does). */
    private static ByteBuf serveOne(BlockedClient w, byte[] key) {
        synchronized (w) {
            if (w.finished()) return null;
            ByteBuf buf = w.client().link().alloc().buffer(64);
            RespWriter out = new RespWriter(buf);
            boolean served;
            try {
                served = w.server().serve(w, key, out);
            } catch (RedisError e) {
                buf.clear();
                out.error(e.getMessage());
                served = true;
            }
            if (!served) {
                buf.release();
                return null;
            }
            w.finish();
            return buf;
        }
    }

    /** Ends a wait with the timeout reply or, for CLIENT UNBLOCK ... ERROR, the UNBLOCKED error; false if not blocked. */
    public boolean unblock(Session c, boolean withError) {
        BlockedClient w = c.blocked();
        // A DEBUG SLEEP stands for a server that is asleep: nothing can wake it early.
        return w != null && !w.isPause() && end(w, withError ? UNBLOCKED : TIMED_OUT);
    }

    /** The client went away while blocked. */
    public void disconnected(Session c) {
        BlockedClient w = c.blocked();
        if (w == null) return;
        synchronized (w) {
            if (!w.finish()) return;
        }
        forget(w);
    }

    private boolean end(BlockedClient w, byte[] reply) {
        synchronized (w) {
            if (!w.finish()) return false;
        }
        forget(w);
        // A pause ran for all of its wait, as Redis's DEBUG SLEEP does inside the command, so the slow log sees it.
        if (w.isPause()) onServed.accept(w, (System.nanoTime() - w.blockedAt()) / 1000);
        w.client().link().resume(Unpooled.wrappedBuffer(reply));
        return true;
    }

    private void forget(BlockedClient w) {
        for (DbKey k : distinctKeys(w)) {
            waiting.computeIfPresent(k, (key, q) -> {
                q.remove(w);
                return q.isEmpty() ? null : q;
            });
        }
        blocked.decrementAndGet();
    }

    private static Set<DbKey> distinctKeys(BlockedClient w) {
        Set<DbKey> keys = new LinkedHashSet<>();
        for (byte[] k : w.keys()) keys.add(DbKey.copyOf(w.db(), k));
        return keys;
    }
}
