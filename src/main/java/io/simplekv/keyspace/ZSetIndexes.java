package io.simplekv.keyspace;

import io.simplekv.storage.Storage;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every big zset's {@link ZSetIndex}, by pages table and collection id, within a byte budget. Past the budget,
 * other zsets' indexes are dropped (each is rebuilt from its leaves when next used), never the one that grew.
 * Keyed by the table instance, not the database, so FLUSHDB (a new table) can't see the old one's indexes and
 * SWAPDB (tables trade places) needs nothing; {@link #forget} drops a replaced table's. Collection ids are never
 * reused, so a dropped zset's index can't be found by another.
 */
final class ZSetIndexes {
    /** 64 MB, or a tenth of the heap when that is more: about 5% of a zset's bytes are its internal nodes. */
    static long defaultBudget() {
        return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 10);
    }

    private final long budget;
    private final ConcurrentHashMap<Key, ZSetIndex> indexes = new ConcurrentHashMap<>();
    private long bytes; // guarded by this

    private record Key(Storage table, long id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.table == table && k.id == id;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(table) * 31 + Long.hashCode(id * 0x9E3779B97F4A7C15L);
        }
    }

    ZSetIndexes(long budget) {
        this.budget = budget;
    }

    /** The zset's index, or null when it has none yet (never built, or dropped). */
    ZSetIndex get(Storage table, long id) {
        return indexes.get(new Key(table, id));
    }

    /** A new, empty index for the zset, replacing any it had. */
    ZSetIndex create(Storage table, long id) {
        ZSetIndex ix = new ZSetIndex(this);
        ZSetIndex old = indexes.put(new Key(table, id), ix);
        if (old != null) unregister(old);
        grew(ix, ZSetIndex.INDEX_OVERHEAD); // counted even with no node: a zset whose root is a leaf has none
        return ix;
    }

    /** The zset is gone: its index goes too. */
    void drop(Storage table, long id) {
        ZSetIndex old = indexes.remove(new Key(table, id));
        if (old != null) unregister(old);
    }

    /** Drops the indexes of a table that was replaced (FLUSHDB) and will never be read again. */
    void forget(Storage table) {
        indexes.forEach((k, ix) -> {
            if (k.table == table && indexes.remove(k, ix)) unregister(ix);
        });
    }

    /** Drops every index: after a failed write, when an index may be ahead of the leaves the table holds. */
    void clear() {
        indexes.forEach((k, ix) -> {
            if (indexes.remove(k, ix)) unregister(ix);
        });
    }

    synchronized void grew(ZSetIndex ix, long delta) {
        if (!ix.registered) return;
        ix.bytes += delta;
        bytes += delta;
        if (bytes <= budget) return;
        for (Iterator<ZSetIndex> it = indexes.values().iterator(); it.hasNext() && bytes > budget * 9 / 10; ) {
            ZSetIndex other = it.next();
            if (other == ix) continue;
            it.remove();
            unregister(other);
        }
    }

    private synchronized void unregister(ZSetIndex ix) {
        if (!ix.registered) return;
        ix.registered = false;
        bytes -= ix.bytes;
    }

    /** Bytes held, by the estimate the budget is checked against. */
    synchronized long bytes() {
        return bytes;
    }
}
