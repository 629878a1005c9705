package io.simplekv.storage;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * An on-heap table split into segments, each a chained hash table with power-of-two buckets guarded by its
 * own monitor. The JDK maps cannot give SCAN's guarantee (every key present for the whole walk is returned even
 * if the table resizes meanwhile); Redis's reverse-binary bucket cursor does, so each segment uses one.
 * The cursor is {@code bucketCursor << SEGMENT_BITS | segment}.
 */
public final class MemoryStorage extends SegmentedTable<MemoryStorage.Segment> {

    private final AccessStamp stamp;

    public MemoryStorage() {
        this(AccessStamp.NONE, null);
    }

    /**
     * A table whose entries keep Redis's per-key access field (a database's records), counting its bytes in
     * {@code counter} (the engine's; null: its own).
     */
    public MemoryStorage(AccessStamp stamp, java.util.concurrent.atomic.LongAdder counter) {
        super(Segment[]::new, Segment::new, counter);
        this.stamp = stamp;
    }

    AccessStamp stamp() {
        return stamp;
    }

    @Override
    MemoryStorage blank() {
        return new MemoryStorage(stamp, null);
    }

    @Override
    public byte[] get(byte[] key) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        synchronized (s) {
            Entry e = s.find(key, (int) (h >>> SEGMENT_BITS));
            return e == null ? null : e.value;
        }
    }

    @Override
    public byte[] getTouching(byte[] key) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        synchronized (s) {
            Entry e = s.find(key, (int) (h >>> SEGMENT_BITS));
            if (e == null) return null;
            e.access = stamp.touched(e.access);
            return e.value;
        }
    }

    @Override
    public int access(byte[] key) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        synchronized (s) {
            Entry e = s.find(key, (int) (h >>> SEGMENT_BITS));
            return e == null || stamp == AccessStamp.NONE ? AccessStamp.UNTRACKED : e.access;
        }
    }

    @Override
    public void access(byte[] key, int bits) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        synchronized (s) {
            Entry e = s.find(key, (int) (h >>> SEGMENT_BITS));
            if (e != null) e.access = bits;
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        boolean added;
        long grew;
        synchronized (s) {
            long before = s.bytes;
            added = s.put(key, value, (int) (h >>> SEGMENT_BITS), stamp);
            grew = s.bytes - before;
        }
        if (added) size.increment();
        bytes.add(grew);
    }

    @Override
    public boolean remove(byte[] key) {
        long h = ByteHash.hash(key);
        Segment s = segmentFor(h);
        boolean removed;
        long freed;
        synchronized (s) {
            long before = s.bytes;
            removed = s.remove(key, (int) (h >>> SEGMENT_BITS));
            freed = before - s.bytes;
        }
        if (removed) size.decrement();
        bytes.add(-freed);
        return removed;
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        int segment = (int) (cursor & (SEGMENTS - 1));
        long bucketCursor = cursor >>> SEGMENT_BITS;
        int[] visited = {0};
        Consumer<byte[]> counting = k -> { visited[0]++; visitor.accept(k); };
        // Like Redis, bound the number of empty buckets looked at per call.
        long budget = Math.max(count, 1) * 10L; // a long: COUNT may be near Integer.MAX_VALUE
        while (true) {
            Segment s = segments[segment];
            synchronized (s) {
                bucketCursor = s.scanBucket(bucketCursor, counting);
            }
            budget--;
            if (bucketCursor == 0) {
                segment++;
                if (segment == SEGMENTS) return 0;
            }
            if (visited[0] >= count || budget <= 0) {
                return (bucketCursor << SEGMENT_BITS) | segment;
            }
        }
    }

    private static final class Entry {
        final byte[] key;
        final int hash;
        byte[] value;
        Entry next;
        /** Redis's robj.lru ({@link AccessStamp}); it fits the padding of the object, so costs no memory. */
        int access;

        Entry(byte[] key, int hash, byte[] value, Entry next, int access) {
            this.key = key;
            this.hash = hash;
            this.value = value;
            this.next = next;
            this.access = access;
        }
    }

    static final class Segment extends SegmentedTable.Segment {
        private static final int MIN_BUCKETS = 1;
        /** An Entry object (32 bytes with compressed references) and its bucket slot. */
        private static final long ENTRY_BYTES = 36;
        Entry[] table = new Entry[MIN_BUCKETS];

        Entry find(byte[] key, int hash) {
            for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
                if (e.hash == hash && Arrays.equals(e.key, key)) return e;
            }
            return null;
        }

        boolean put(byte[] key, byte[] value, int hash, AccessStamp stamp) {
            Entry e = find(key, hash);
            if (e != null) {
                bytes += arrayBytes(value.length) - arrayBytes(e.value.length);
                e.value = value;
                e.access = stamp.overwritten(e.access);
                return false;
            }
            int i = hash & (table.length - 1);
            table[i] = new Entry(key, hash, value, table[i], stamp.created());
            bytes += ENTRY_BYTES + arrayBytes(key.length) + arrayBytes(value.length);
            if (++count > table.length) resize(table.length << 1);
            return true;
        }

        boolean remove(byte[] key, int hash) {
            int i = hash & (table.length - 1);
            Entry prev = null;
            for (Entry e = table[i]; e != null; prev = e, e = e.next) {
                if (e.hash == hash && Arrays.equals(e.key, key)) {
                    if (prev == null) table[i] = e.next;
                    else prev.next = e.next;
                    bytes -= ENTRY_BYTES + arrayBytes(e.key.length) + arrayBytes(e.value.length);
                    count--;
                    if (table.length > MIN_BUCKETS && count < table.length / 8) resize(table.length >> 1);
                    return true;
                }
            }
            return false;
        }

        void resize(int buckets) {
            Entry[] next = new Entry[buckets];
            for (Entry head : table) {
                for (Entry e = head; e != null; ) {
                    Entry after = e.next;
                    int i = e.hash & (buckets - 1);
                    e.next = next[i];
                    next[i] = e;
                    e = after;
                }
            }
            table = next;
        }

        @Override
        void reset() {
            table = new Entry[MIN_BUCKETS];
            count = 0;
        }

        @Override
        Segment copy() {
            Segment c = new Segment();
            c.table = new Entry[table.length];
            for (int i = 0; i < table.length; i++) {
                Entry copied = null;
                for (Entry e = table[i]; e != null; e = e.next) {
                    copied = new Entry(e.key, e.hash, e.value.clone(), copied, e.access);
                }
                c.table[i] = copied;
            }
            c.count = count;
            c.bytes = bytes;
            return c;
        }

        /** Visits one bucket and returns the next reverse-binary cursor (0 when the walk wrapped). */
        long scanBucket(long cursor, Consumer<byte[]> visitor) {
            long mask = table.length - 1;
            for (Entry e = table[(int) (cursor & mask)]; e != null; e = e.next) visitor.accept(e.key);
            cursor |= ~mask;
            cursor = Long.reverse(cursor);
            cursor++;
            return Long.reverse(cursor);
        }

        @Override
        byte[] randomKey(ThreadLocalRandom rnd) {
            if (count == 0) return null;
            while (true) {
                Entry e = table[rnd.nextInt(table.length)];
                if (e == null) continue;
                int len = 0;
                for (Entry x = e; x != null; x = x.next) len++;
                int pick = rnd.nextInt(len);
                while (pick-- > 0) e = e.next;
                return e.key;
            }
        }
    }
}
