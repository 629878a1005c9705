package io.simplekv.keyspace;

import io.simplekv.storage.Storage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The members of a big hash, set or zset, spread over bucket records of the pages table by linear hashing: about
 * {@link #TARGET_PER_BUCKET} entries a bucket, grown one split at a time, so a lookup reads one record and an insert
 * writes at most three however big the collection is. A split only ever moves entries to a higher-numbered bucket,
 * which is what makes an ascending bucket cursor a correct HSCAN/SSCAN/ZSCAN.
 *
 * <p>Each bucket is one {@link Packed} run; with {@code pairs} fields and values alternate. Bucket b is page
 * {@code [id][b * stride]}: a zset interleaves its tree nodes on the odd page numbers.
 */
final class Buckets {
    static final int TARGET_PER_BUCKET = 16;
    static final int INITIAL_LEVEL = 3;

    private final Database db;
    private final long id;
    private final boolean pairs;
    private final int stride;
    private int level;
    private long split;
    private long lastBucket = -1;
    private byte[] lastContent;

    Buckets(Database db, long id, boolean pairs, int stride, int level, long split) {
        this.db = db;
        this.id = id;
        this.pairs = pairs;
        this.stride = stride;
        this.level = level;
        this.split = split;
    }

    /** New buckets holding every entry of a packed run. */
    static Buckets create(Database db, long id, boolean pairs, int stride, byte[] all) {
        Buckets t = new Buckets(db, id, pairs, stride, INITIAL_LEVEL, 0);
        long buckets = t.count();
        Packed.Builder[] parts = new Packed.Builder[(int) buckets];
        int n = Packed.count(all, 0);
        int at = Packed.first(all, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            int b = (int) t.bucketOf(Packed.element(all, at));
            if (parts[b] == null) parts[b] = new Packed.Builder();
            parts[b].copy(all, at);
            if (pairs) parts[b].copy(all, Packed.next(all, at));
            at = skip(all, at, pairs);
        }
        for (int b = 0; b < buckets; b++) if (parts[b] != null) t.write(b, parts[b].build());
        return t;
    }

    int level() {
        return level;
    }

    long split() {
        return split;
    }

    /** How many buckets there are; pages of bucket numbers below this may exist. */
    long count() {
        return (1L << level) + split;
    }

    static long count(int level, long split) {
        return (1L << level) + split;
    }

    // ---- reads ----

    /** The field's value (the field itself when not pairs), or null. */
    byte[] get(byte[] field) {
        byte[] bucket = read(bucketOf(field));
        int at = find(bucket, field, pairs);
        if (at < 0) return null;
        return pairs ? Packed.element(bucket, Packed.next(bucket, at)) : field;
    }

    boolean contains(byte[] field) {
        return find(read(bucketOf(field)), field, pairs) >= 0;
    }

    void forEach(FieldTable.EntryVisitor v) {
        long buckets = count();
        for (long b = 0; b < buckets; b++) visit(read(b), pairs, v);
    }

    /** Visits whole buckets from the cursor until about {@code count} entries are seen; the next cursor or 0. */
    long scan(long cursor, int count, FieldTable.EntryVisitor v) {
        long buckets = count();
        int seen = 0;
        long b = cursor;
        while (b < buckets && seen < count) {
            byte[] bucket = read(b++);
            seen += Packed.count(bucket, 0) / (pairs ? 2 : 1);
            visit(bucket, pairs, v);
        }
        return b >= buckets ? 0 : b;
    }

    /**
     * A uniformly random bucket run holding at least one entry. Buckets differ in size, so a bucket is kept with
     * probability size/cap (rejection sampling): every entry is equally likely, as Redis's fair random pick is,
     * instead of favouring members of small buckets. The collection must not be empty.
     */
    byte[] randomBucket(ThreadLocalRandom rnd) {
        long buckets = count();
        int cap = 4 * TARGET_PER_BUCKET;
        while (true) {
            byte[] bucket = read(rnd.nextLong(buckets));
            int n = Packed.count(bucket, 0) / (pairs ? 2 : 1);
            if (n > cap) cap = n;
            if (n > 0 && rnd.nextInt(cap) < n) return bucket;
        }
    }

    // ---- writes ----

    /** Sets a field; returns true when it is new, after which the caller counts it and calls {@link #grow}. */
    boolean put(byte[] field, byte[] value) {
        return replace(field, value) == null;
    }

    /** Sets a field; returns its previous value (the field itself when not pairs), or null when it is new. */
    byte[] replace(byte[] field, byte[] value) {
        long b = bucketOf(field);
        byte[] bucket = read(b);
        int at = find(bucket, field, pairs);
        byte[] previous = at < 0 ? null : pairs ? Packed.element(bucket, Packed.next(bucket, at)) : field;
        if (previous != null && !pairs) return previous; // a member the set has: nothing to write
        if (previous != null && previous.length == value.length) {
            // Same length (always, for a zset's 8-byte scores): overwrite the value's bytes, no re-encoding.
            int v = Packed.next(bucket, at), from = Packed.dataOffset(bucket, v);
            Storage pages = db.pagesTable();
            if (!pages.readsAreCopies()) {
                // The array read is the one stored (the memory engine): changed in place under the key's lock,
                // it needs no copy and no second lookup to store.
                System.arraycopy(value, 0, bucket, from, value.length);
                return previous;
            }
            byte[] copy = bucket.clone();
            System.arraycopy(value, 0, copy, from, value.length);
            pages.patch(key(b), copy, from, from + value.length);
            lastBucket = b;
            lastContent = copy;
            return previous;
        }
        write(b, rewrite(bucket, at, field, value, pairs));
        return previous;
    }

    /** Splits one bucket when the collection, now of {@code size} entries, has outgrown its buckets. */
    void grow(long size) {
        if (size > TARGET_PER_BUCKET * count()) splitOne();
    }

    /** Removes a field; returns its value (the field itself when not pairs), or null when it was not there. */
    byte[] remove(byte[] field) {
        long b = bucketOf(field);
        byte[] bucket = read(b);
        int at = find(bucket, field, pairs);
        if (at < 0) return null;
        byte[] value = pairs ? Packed.element(bucket, Packed.next(bucket, at)) : field;
        write(b, rewrite(bucket, at, null, null, pairs));
        return value;
    }

    // ---- packed runs of entries ----

    static int skip(byte[] r, int at, boolean pairs) {
        at = Packed.next(r, at);
        return pairs ? Packed.next(r, at) : at;
    }

    static void visit(byte[] r, boolean pairs, FieldTable.EntryVisitor v) {
        int n = Packed.count(r, 0);
        int at = Packed.first(r, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            byte[] field = Packed.element(r, at);
            at = Packed.next(r, at);
            byte[] value = null;
            if (pairs) {
                value = Packed.element(r, at);
                at = Packed.next(r, at);
            }
            v.visit(field, value);
        }
    }

    /** Offset of the field's length prefix in the run, or -1. */
    static int find(byte[] r, byte[] field, boolean pairs) {
        int n = Packed.count(r, 0);
        int at = Packed.first(r, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            if (Packed.elementEquals(r, at, field)) return at;
            at = skip(r, at, pairs);
        }
        return -1;
    }

    /** The run with the entry at {@code at} replaced (or removed when field is null), or the entry appended. */
    static byte[] rewrite(byte[] r, int at, byte[] field, byte[] value, boolean pairs) {
        Packed.Builder b = new Packed.Builder();
        int n = Packed.count(r, 0);
        int pos = Packed.first(r, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            int next = skip(r, pos, pairs);
            if (pos != at) {
                b.copy(r, pos);
                if (pairs) b.copy(r, Packed.next(r, pos));
            } else if (field != null) {
                b.add(field);
                if (pairs) b.add(value);
            }
            pos = next;
        }
        if (at < 0 && field != null) {
            b.add(field);
            if (pairs) b.add(value);
        }
        return b.build();
    }

    // ---- bucket records ----

    private long bucketOf(byte[] field) {
        long h = db.space().fieldHash(field);
        long b = h & ((1L << level) - 1);
        if (b < split) b = h & ((1L << (level + 1)) - 1);
        return b;
    }

    private byte[] key(long bucket) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, bucket * stride);
        return k;
    }

    private byte[] read(long bucket) {
        // A command often reads a member's bucket twice (ZADD asks the old score, then puts): keep the last one.
        if (bucket == lastBucket) return lastContent;
        byte[] b = db.pagesTable().get(key(bucket));
        lastBucket = bucket;
        lastContent = b == null ? Packed.EMPTY : b;
        return lastContent;
    }

    private void write(long bucket, byte[] content) {
        Storage pages = db.pagesTable();
        if (Packed.count(content, 0) == 0) pages.remove(key(bucket));
        else pages.put(key(bucket), content);
        lastBucket = bucket;
        lastContent = content;
    }

    /** Splits bucket {@code split} into itself and its image {@code split + 2^level}. */
    private void splitOne() {
        long from = split, to = split + (1L << level);
        long mask = (1L << (level + 1)) - 1;
        byte[] bucket = read(from);
        Packed.Builder stay = new Packed.Builder(), move = new Packed.Builder();
        int n = Packed.count(bucket, 0);
        int at = Packed.first(bucket, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            byte[] field = Packed.element(bucket, at);
            Packed.Builder target = (db.space().fieldHash(field) & mask) == from ? stay : move;
            target.copy(bucket, at);
            if (pairs) target.copy(bucket, Packed.next(bucket, at));
            at = skip(bucket, at, pairs);
        }
        write(from, stay.build());
        write(to, move.build());
        if (++split == (1L << level)) {
            level++;
            split = 0;
        }
    }
}
