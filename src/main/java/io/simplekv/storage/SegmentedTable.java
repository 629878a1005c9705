package io.simplekv.storage;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * An on-heap table split into segments by key hash, each guarded by its own monitor, with the total size kept
 * beside them: what {@link MemoryStorage} and {@link PageTable} share. They differ only in how a segment finds a
 * key.
 */
abstract class SegmentedTable<S extends SegmentedTable.Segment> implements Storage {
    static final int SEGMENT_BITS = 6;
    static final int SEGMENTS = 1 << SEGMENT_BITS;

    /** One segment's own table; every method is called with the segment's monitor held. */
    abstract static class Segment {
        /** Entries held; read without the monitor only as a hint. */
        int count;
        /** What the segment's entries cost on the heap ({@link #arrayBytes} and the table's own overhead). */
        long bytes;

        /** A key of this segment picked at random, or null when it is empty. */
        abstract byte[] randomKey(ThreadLocalRandom rnd);

        /** Empties the segment. */
        abstract void reset();

        /**
         * A deep copy of the segment, for a snapshot: values are cloned, since a command holding a key's lock may
         * patch the stored array in place; keys are shared (nothing changes a stored key).
         */
        abstract Segment copy();
    }

    final S[] segments;
    final LongAdder size = new LongAdder();
    /**
     * The segments' bytes, summed as they change, so reading the total is cheap (maxmemory reads it per command).
     * Shared by every table of one engine, whose total it then is; a table on its own keeps its own.
     */
    final LongAdder bytes;

    /** A byte[] of this length on a 64-bit JVM with compressed class pointers: a 16-byte header, 8-byte aligned. */
    static long arrayBytes(int length) {
        return (16L + length + 7) & ~7L;
    }

    SegmentedTable(IntFunction<S[]> array, Supplier<S> segment, LongAdder counter) {
        bytes = counter == null ? new LongAdder() : counter;
        segments = array.apply(SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) segments[i] = segment.get();
    }

    S segmentFor(long hash) {
        return segments[(int) hash & (SEGMENTS - 1)];
    }

    @Override
    public long size() {
        return size.sum();
    }

    /** The bytes this table's counter holds: its own, or for a table an engine opened, the engine's. */
    long bytes() {
        return bytes.sum();
    }

    /** Takes this table's bytes off its counter, for a table dropped whole rather than cleared (FLUSHDB's swap). */
    void forget() {
        for (S s : segments) {
            long held;
            synchronized (s) {
                held = s.bytes;
                s.bytes = 0;
            }
            bytes.add(-held);
        }
    }

    @Override
    public byte[] randomKey() {
        if (size() == 0) return null;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        // Pick the segment in proportion to its size (counts read without locks: a hint is enough), so every key is
        // about equally likely; taking the next non-empty segment after a random one favoured keys behind gaps.
        long total = 0;
        for (S s : segments) total += s.count;
        long pick = total > 0 ? rnd.nextLong(total) : 0;
        int start = SEGMENTS - 1;
        for (int i = 0; i < SEGMENTS; i++) {
            pick -= segments[i].count;
            if (pick < 0) {
                start = i;
                break;
            }
        }
        for (int i = 0; i < SEGMENTS; i++) {
            S s = segments[(start + i) & (SEGMENTS - 1)];
            synchronized (s) {
                byte[] k = s.randomKey(rnd);
                if (k != null) return k;
            }
        }
        return null;
    }

    /** An empty table of the same kind, counting its own bytes. */
    abstract SegmentedTable<S> blank();

    /**
     * A deep copy with its own byte count, taken segment by segment under each monitor: one point in time only when
     * the caller keeps writers out (a snapshot takes it holding every shard).
     */
    @SuppressWarnings("unchecked")
    SegmentedTable<S> copy() {
        SegmentedTable<S> c = blank();
        for (int i = 0; i < SEGMENTS; i++) {
            S s = segments[i];
            synchronized (s) {
                c.segments[i] = (S) s.copy();
            }
            c.size.add(s.count);
            c.bytes.add(s.bytes);
        }
        return c;
    }

    @Override
    public void clear() {
        for (S s : segments) {
            long removed, removedBytes;
            synchronized (s) {
                removed = s.count;
                removedBytes = s.bytes;
                s.reset();
                s.bytes = 0;
            }
            bytes.add(-removedBytes);
            size.add(-removed);
        }
    }
}
