package io.simplekv.command;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who waits on what, as Redis's blocking_keys and ready_keys: per (db, key) the waiters in the order they blocked,
 * and the keys written since someone last looked. Lives beside the storage, never inside it; {@link Waits} decides
 * who gets served.
 *
 * <p>A waiter is registered while its command still holds the shard locks of its keys, and every write signals its
 * keys while holding theirs, so a push can never slip between "the list is empty" and "the client is waiting".
 */
public final class BlockedKeys {
    private final ConcurrentHashMap<DbKey, ConcurrentLinkedQueue<BlockedClient>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<DbKey> ready = new ConcurrentLinkedQueue<>();
    private final Set<DbKey> readySet = ConcurrentHashMap.newKeySet();
    private final AtomicInteger blocked = new AtomicInteger();

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

    void add(BlockedClient w) {
        w.client().blocked(w);
        blocked.incrementAndGet();
        for (DbKey k : distinctKeys(w)) {
            waiting.compute(k, (key, q) -> {
                ConcurrentLinkedQueue<BlockedClient> queue = q == null ? new ConcurrentLinkedQueue<>() : q;
                queue.add(w);
                return queue;
            });
        }
    }

    /** A write changed this key; remembered only if someone waits on it. */
    public void signal(int db, byte[] key) {
        if (!waiting.containsKey(DbKey.probe(db, key))) return;
        DbKey k = DbKey.copyOf(db, key);
        if (readySet.add(k)) ready.add(k);
    }

    /** FLUSHALL, SWAPDB and the like: every waited-on key may have changed. */
    public void signalAll() {
        for (DbKey k : waiting.keySet()) {
            if (readySet.add(k)) ready.add(k);
        }
    }

    /** The next key written since the last look, or null; a write from now on signals it again. */
    DbKey nextReady() {
        DbKey k = ready.poll();
        if (k != null) readySet.remove(k);
        return k;
    }

    /** The waiters on a key, first blocked first. */
    List<BlockedClient> waitersOn(DbKey k) {
        ConcurrentLinkedQueue<BlockedClient> q = waiting.get(k);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    void forget(BlockedClient w) {
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
