package io.simplekv.keyspace;

import io.simplekv.storage.ByteHash;
import io.simplekv.storage.Storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * What big collections share across databases: collection ids, the secret seed that places members in
 * buckets (stable across restarts, unknown to clients so they cannot pile members into one bucket), and the
 * reclaimer that frees the pages of deleted collections in the background, so DEL of a million-member hash is
 * as quick as DEL of a string (Redis's lazy free).
 */
public final class PageSpace {
    private static final byte[] SEED_KEY = "bucket-seed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAGED_KEY = "paged-collections-exist".getBytes(StandardCharsets.US_ASCII);
    private static final int FREES_PER_TICK = 20_000;

    private final IdAllocator ids;
    private final long seed;
    private final Storage meta;
    /** Whether any big collection was ever written, persisted so a restart knows without scanning. */
    private volatile boolean anyPaged;
    private final ArrayDeque<Garbage> garbage = new ArrayDeque<>();
    private final ZSetIndexes indexes = new ZSetIndexes(ZSetIndexes.defaultBudget());
    private final LongAdder freedCollections;

    /**
     * Pages [id][0..buckets) of a collection nobody can reach any more, in the table they were written to. Freed
     * no sooner than {@code freeAfter} (ms): the command that dropped the collection may still hold its writes in a
     * batch (a crash before that batch lands must find the pages still there), and a command ends long before.
     */
    private record Garbage(Storage pages, long id, long buckets, long nextBucket, long freeAfter) {}

    private static final long GRACE_MS = 1000;

    PageSpace(Storage meta, LongAdder freedCollections) {
        this.meta = meta;
        this.freedCollections = freedCollections;
        this.anyPaged = meta.get(PAGED_KEY) != null;
        this.ids = new IdAllocator(meta);
        byte[] stored = meta.get(SEED_KEY);
        if (stored == null) {
            stored = Records.longBytes(ThreadLocalRandom.current().nextLong());
            meta.put(SEED_KEY, stored);
        }
        this.seed = Records.getLong(stored, 0);
    }

    /**
     * False until a big collection exists anywhere: until then a write that replaces a key cannot be replacing
     * one, and skips reading the old record to check (a read that costs a copy on a persistent engine).
     */
    boolean anyPaged() {
        return anyPaged;
    }

    void markPaged() {
        if (anyPaged) return;
        synchronized (this) {
            if (anyPaged) return;
            meta.put(PAGED_KEY, new byte[] {1});
            anyPaged = true;
        }
    }

    /** The big zsets' internal tree nodes, on the heap, for every database's pages table. */
    ZSetIndexes indexes() {
        return indexes;
    }

    /**
     * After a write the engine failed (a full disk): the heap indexes may be ahead of the leaves stored, so they
     * all go, and each is rebuilt from what the table holds when next used.
     */
    public void writeFailed() {
        indexes.clear();
    }

    long allocateId() {
        return ids.next();
    }

    long fieldHash(byte[] field) {
        return ByteHash.hash(field, seed);
    }

    /** Queues a dead collection's pages for freeing. */
    synchronized void release(Storage pages, long id, long buckets) {
        indexes.drop(pages, id);
        garbage.add(new Garbage(pages, id, buckets, 0, System.currentTimeMillis() + GRACE_MS));
    }

    /** Queues pages [first, end) of a dead collection for freeing (a stream's pages needn't start at 0). */
    synchronized void release(Storage pages, long id, long first, long end) {
        garbage.add(new Garbage(pages, id, end, first, System.currentTimeMillis() + GRACE_MS));
    }

    /** Frees every queued page whatever its age; for tests, which call it right after the command that dropped it. */
    public void reclaim() {
        reclaim(Long.MAX_VALUE);
    }

    /** Frees a bounded number of pages queued long enough ago; called from the periodic chores thread. */
    public void reclaim(long now) {
        int budget = FREES_PER_TICK;
        while (budget > 0) {
            Garbage g;
            synchronized (this) {
                g = garbage.peek();
                if (g == null || g.freeAfter() > now) return;
                garbage.poll();
            }
            long b = g.nextBucket();
            byte[] k = new byte[16];
            Records.putLong(k, 0, g.id());
            try {
                for (; b < g.buckets() && budget > 0; b++, budget--) {
                    Records.putLong(k, 8, b);
                    g.pages().remove(k);
                }
            } catch (RuntimeException tableGone) {
                // FLUSHDB/FLUSHALL closed and dropped this table meanwhile: its pages went with it.
                continue;
            }
            if (b < g.buckets()) {
                synchronized (this) {
                    garbage.addFirst(new Garbage(g.pages(), g.id(), g.buckets(), b, g.freeAfter()));
                }
            }
        }
    }

    /** A value Redis would have freed in the background was deleted (INFO lazyfreed_objects). */
    void lazilyFreed() {
        freedCollections.increment();
    }

    /** Dead collections whose pages are not all freed yet (INFO lazyfree_pending_objects). */
    public synchronized long pendingCollections() {
        return garbage.size();
    }

    /** Pages still waiting to be freed, for tests. */
    public synchronized long pending() {
        long n = 0;
        for (Garbage g : garbage) n += Math.max(0, g.buckets() - g.nextBucket());
        return n;
    }
}
