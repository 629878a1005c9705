package io.simplekv.keyspace;

import io.simplekv.storage.Storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The internal nodes of big zsets' trees, on the heap, for engines whose every read is a lookup plus a copy: a
 * rank or a rescore then reads only its leaf (and bucket) from the table. Leaves are never kept: they are most
 * of the tree, and every write touches one.
 *
 * <p>Write-through: {@link ZSetPages} puts every node page it writes here too, so an entry is never older than
 * its table. Entries are keyed by the table instance, not the database, so FLUSHDB (a new table) can't see the
 * old one's nodes and SWAPDB (tables trade places) needs nothing; {@link #forget} drops a replaced table's.
 * Collection ids are never reused, so a deleted zset's nodes are only dead weight until the budget is hit, when
 * everything goes. Callers hold the zset's shard lock, so one node is never written by two threads at once;
 * different zsets use the cache concurrently. Cached arrays are shared and must not be changed.
 */
final class NodeCache {
    static final long DEFAULT_BUDGET = 64L << 20;
    /** Roughly what an entry costs beyond its bytes: the key object, the map node, the array header. */
    static final int ENTRY_OVERHEAD = 96;

    private final long budget;
    private final ConcurrentHashMap<Key, byte[]> nodes = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    private record Key(Storage table, long id, long node) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.table == table && k.id == id && k.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(table) * 31 + Long.hashCode(id * 0x9E3779B97F4A7C15L + node);
        }
    }

    NodeCache(long budget) {
        this.budget = budget;
    }

    /** Whether pages of this table go through the cache at all. */
    static boolean worthIt(Storage table) {
        return table.readsAreCopies();
    }

    byte[] get(Storage table, long id, long node) {
        return nodes.get(new Key(table, id, node));
    }

    /** Records what the table now holds for a node page: kept when internal, dropped otherwise (leaf, free, gone). */
    void stored(Storage table, long id, long node, byte[] raw) {
        Key k = new Key(table, id, node);
        if (raw == null || raw[0] != ZSetNode.INTERNAL) {
            drop(k);
            return;
        }
        byte[] old = nodes.put(k, raw);
        long now = bytes.addAndGet(cost(raw) - (old == null ? 0 : cost(old)));
        if (now > budget) clear();
    }

    /** Drops the nodes of a table that was replaced (FLUSHDB) and will never be read again. */
    void forget(Storage table) {
        for (Key k : nodes.keySet()) if (k.table == table) drop(k);
    }

    void clear() {
        for (Key k : nodes.keySet()) drop(k);
    }

    private void drop(Key k) {
        byte[] old = nodes.remove(k);
        if (old != null) bytes.addAndGet(-cost(old));
    }

    /** Bytes held, by the estimate the budget is checked against. */
    long bytes() {
        return bytes.get();
    }

    private static long cost(byte[] raw) {
        return raw.length + ENTRY_OVERHEAD;
    }
}
