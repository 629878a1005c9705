package io.simplekv.storage;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The memory engine's table of big-collection pages, whose keys are always 16 bytes: a collection id and a page
 * number. It keeps them as two longs side by side in an open-addressing table, so finding a page touches one slot
 * of keys and then the value, where {@link MemoryStorage} hashes the key's bytes and follows an entry and its key
 * array first: a rescore in a 1M-member zset looks up three pages, each a cache miss.
 *
 * <p>Nothing walks this table key by key on a command path, so {@link #scan} visits one whole segment per call
 * (the cursor is the next segment): every key present for the whole walk is visited, whatever the segments do
 * meanwhile.
 */
public final class PageTable extends SegmentedTable<PageTable.Segment> {

    public PageTable() {
        this(null);
    }

    /** A table counting its bytes in {@code counter} (the engine's; null: its own). */
    public PageTable(java.util.concurrent.atomic.LongAdder counter) {
        super(Segment[]::new, Segment::new, counter);
    }

    @Override
    PageTable blank() {
        return new PageTable(null);
    }

    private static long id(byte[] key) {
        if (key.length != 16) throw new IllegalArgumentException("a page key is 16 bytes, not " + key.length);
        return (long) Bytes.LONG.get(key, 0);
    }

    private static long page(byte[] key) {
        return (long) Bytes.LONG.get(key, 8);
    }

    private static long hash(long id, long page) {
        long h = id * 0x9E3779B97F4A7C15L + page;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    @Override
    public byte[] get(byte[] key) {
        long id = id(key), page = page(key), h = hash(id, page);
        Segment s = segmentFor(h);
        synchronized (s) {
            int i = s.find(id, page, h >>> SEGMENT_BITS);
            return i < 0 ? null : s.values[i];
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        long id = id(key), page = page(key), h = hash(id, page);
        Segment s = segmentFor(h);
        boolean added;
        long grew;
        synchronized (s) {
            long before = s.bytes;
            added = s.put(id, page, h >>> SEGMENT_BITS, value);
            grew = s.bytes - before;
        }
        if (added) size.increment();
        bytes.add(grew);
    }

    @Override
    public boolean remove(byte[] key) {
        long id = id(key), page = page(key), h = hash(id, page);
        Segment s = segmentFor(h);
        boolean removed;
        long freed;
        synchronized (s) {
            long before = s.bytes;
            removed = s.remove(id, page, h >>> SEGMENT_BITS);
            freed = before - s.bytes;
        }
        if (removed) size.decrement();
        bytes.add(-freed);
        return removed;
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        int segment = (int) cursor;
        if (segment < 0 || segment >= SEGMENTS) return 0;
        Segment s = segments[segment];
        byte[][] keys;
        synchronized (s) {
            keys = s.keys();
        }
        for (byte[] k : keys) visitor.accept(k);
        return segment + 1 == SEGMENTS ? 0 : segment + 1;
    }

    /** Linear probing; slot i's key is keys[2i], keys[2i + 1], present when values[i] is not null. */
    static final class Segment extends SegmentedTable.Segment {
        private static final int MIN_SLOTS = 8;
        /** A slot's two key longs and its value reference, at the table's load of at most a half: twice that. */
        private static final long SLOT_BYTES = 40;
        long[] keys = new long[2 * MIN_SLOTS];
        byte[][] values = new byte[MIN_SLOTS][];

        int find(long id, long page, long hash) {
            int mask = values.length - 1;
            for (int i = (int) hash & mask; values[i] != null; i = (i + 1) & mask) {
                if (keys[2 * i] == id && keys[2 * i + 1] == page) return i;
            }
            return -1;
        }

        boolean put(long id, long page, long hash, byte[] value) {
            int mask = values.length - 1;
            int i = (int) hash & mask;
            for (; values[i] != null; i = (i + 1) & mask) {
                if (keys[2 * i] == id && keys[2 * i + 1] == page) {
                    bytes += arrayBytes(value.length) - arrayBytes(values[i].length);
                    values[i] = value;
                    return false;
                }
            }
            keys[2 * i] = id;
            keys[2 * i + 1] = page;
            values[i] = value;
            bytes += SLOT_BYTES + arrayBytes(value.length);
            // At most half full, so a probe for a missing key ends soon.
            if (++count * 2 > values.length) resize(values.length * 2);
            return true;
        }

        boolean remove(long id, long page, long hash) {
            int mask = values.length - 1;
            int i = (int) hash & mask;
            for (; values[i] != null; i = (i + 1) & mask) {
                if (keys[2 * i] == id && keys[2 * i + 1] == page) break;
            }
            if (values[i] == null) return false;
            bytes -= SLOT_BYTES + arrayBytes(values[i].length);
            // Backward-shift deletion: later entries of the probe run move up, so no tombstone is needed.
            for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
                int home = (int) (PageTable.hash(keys[2 * j], keys[2 * j + 1]) >>> SEGMENT_BITS) & mask;
                // Entry j may fill the hole at i only if its home is not in (i, j] (cyclically).
                boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
                if (homeBetween) continue;
                keys[2 * i] = keys[2 * j];
                keys[2 * i + 1] = keys[2 * j + 1];
                values[i] = values[j];
                i = j;
            }
            values[i] = null;
            count--;
            if (values.length > MIN_SLOTS && count * 8 < values.length) resize(values.length / 2);
            return true;
        }

        void resize(int slots) {
            long[] oldKeys = keys;
            byte[][] oldValues = values;
            keys = new long[2 * slots];
            values = new byte[slots][];
            int mask = slots - 1;
            for (int j = 0; j < oldValues.length; j++) {
                if (oldValues[j] == null) continue;
                long id = oldKeys[2 * j], page = oldKeys[2 * j + 1];
                int i = (int) (PageTable.hash(id, page) >>> SEGMENT_BITS) & mask;
                while (values[i] != null) i = (i + 1) & mask;
                keys[2 * i] = id;
                keys[2 * i + 1] = page;
                values[i] = oldValues[j];
            }
        }

        byte[][] keys() {
            byte[][] out = new byte[count][];
            int n = 0;
            for (int i = 0; i < values.length; i++) if (values[i] != null) out[n++] = key(i);
            return out;
        }

        @Override
        byte[] randomKey(ThreadLocalRandom rnd) {
            if (count == 0) return null;
            int start = rnd.nextInt(values.length);
            for (int k = 0; k < values.length; k++) {
                int i = (start + k) & (values.length - 1);
                if (values[i] != null) return key(i);
            }
            return null;
        }

        private byte[] key(int i) {
            byte[] k = new byte[16];
            Bytes.LONG.set(k, 0, keys[2 * i]);
            Bytes.LONG.set(k, 8, keys[2 * i + 1]);
            return k;
        }

        @Override
        Segment copy() {
            Segment c = new Segment();
            c.keys = keys.clone();
            c.values = new byte[values.length][];
            for (int i = 0; i < values.length; i++) if (values[i] != null) c.values[i] = values[i].clone();
            c.count = count;
            c.bytes = bytes;
            return c;
        }

        @Override
        void reset() {
            keys = new long[2 * MIN_SLOTS];
            values = new byte[MIN_SLOTS][];
            count = 0;
        }
    }

    /** Big-endian longs, as the keyspace writes page keys (Records.putLong). */
    private static final class Bytes {
        static final java.lang.invoke.VarHandle LONG =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    }
}
