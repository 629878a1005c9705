package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;
import io.simplekv.storage.Storage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash (field → value) or a set (members only) opened for the length of one command, under its key's lock.
 *
 * <p>Small: the key's record holds one {@link Packed} run (fields and values alternate for hashes), so a read walks
 * bytes in place and a write rewrites one small record. Big: the record holds only metadata (id, size, linear-hashing
 * level and split pointer) and the members live in bucket records {@code [id][bucket]} of the database's pages
 * table, about {@link #TARGET_PER_BUCKET} each. Linear hashing grows by splitting one bucket at a time, so one
 * HSET or SADD touches at most three records however big the collection is, and a split only ever moves members
 * to a higher-numbered bucket, which is what makes an ascending bucket cursor a correct HSCAN/SSCAN.
 *
 * <p>Record payload: {@code [encoding: 0 packed | 1 paged]} then the run, or {@code [id 8][size 8][level 1][split 8]}.
 */
public final class FieldTable {
    static final int PACKED = 0;
    static final int PAGED = 1;
    static final int TARGET_PER_BUCKET = 16;
    private static final int INITIAL_LEVEL = 3;

    private final Database db;
    private final byte[] key;
    private final KeyType type;
    private final boolean pairs;
    private final long expireAt;
    private final CollectionLimits limits;
    private final boolean existed;

    private byte[] run; // packed state; null once paged
    private long id;
    private long size;
    private int level;
    private long split;
    private boolean changed;

    private FieldTable(Database db, byte[] key, KeyType type, long expireAt, CollectionLimits limits, boolean existed) {
        this.db = db;
        this.key = key;
        this.type = type;
        this.pairs = type == KeyType.HASH;
        this.expireAt = expireAt;
        this.limits = limits;
        this.existed = existed;
    }

    /** The collection at key, or null if there is none; WRONGTYPE for a key of another type. */
    public static FieldTable open(Database db, byte[] key, KeyType type, CollectionLimits limits) {
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (Records.type(rec) != type) throw RedisError.WRONGTYPE;
        FieldTable t = new FieldTable(db, key, type, Records.expireAt(rec), limits, true);
        int off = Records.payloadOffset(rec);
        if (rec[off] == PACKED) {
            t.run = java.util.Arrays.copyOfRange(rec, off + 1, rec.length);
            t.size = Packed.count(t.run, 0) / (t.pairs ? 2 : 1);
        } else {
            t.id = Records.getLong(rec, off + 1);
            t.size = Records.getLong(rec, off + 9);
            t.level = rec[off + 17];
            t.split = Records.getLong(rec, off + 18);
        }
        return t;
    }

    /** The collection at key, created empty (not yet stored) if absent. */
    public static FieldTable openOrCreate(Database db, byte[] key, KeyType type, CollectionLimits limits) {
        FieldTable t = open(db, key, type, limits);
        if (t != null) return t;
        t = new FieldTable(db, key, type, Records.NO_EXPIRY, limits, false);
        t.run = Packed.EMPTY;
        return t;
    }

    public long size() {
        return size;
    }
    // ---- reads ----

    /** The value of a hash field (or the member itself for sets), or null. */
    public byte[] get(byte[] field) {
        if (run != null) {
            int at = findPacked(run, field);
            if (at < 0) return null;
            return pairs ? Packed.element(run, Packed.next(run, at)) : field;
        }
        byte[] bucket = readBucket(bucketOf(field));
        int at = findPacked(bucket, field);
        if (at < 0) return null;
        return pairs ? Packed.element(bucket, Packed.next(bucket, at)) : field;
    }

    public boolean contains(byte[] field) {
        if (run != null) return findPacked(run, field) >= 0;
        return findPacked(readBucket(bucketOf(field)), field) >= 0;
    }

    /** Visits every entry; value is null for sets. */
    public void forEach(EntryVisitor v) {
        if (run != null) {
            visitRun(run, v);
            return;
        }
        long buckets = bucketCount();
        for (long b = 0; b < buckets; b++) visitRun(readBucket(b), v);
    }

    /**
     * HSCAN/SSCAN: visits whole buckets from the cursor until about {@code count} entries are seen; returns the next
     * cursor or 0. A packed collection is returned whole in one call, as Redis does for listpacks.
     */
    public long scan(long cursor, int count, EntryVisitor v) {
        if (run != null) {
            visitRun(run, v);
            return 0;
        }
        long buckets = bucketCount();
        int seen = 0;
        long b = cursor;
        while (b < buckets && seen < count) {
            byte[] bucket = readBucket(b++);
            seen += Packed.count(bucket, 0) / (pairs ? 2 : 1);
            visitRun(bucket, v);
        }
        return b >= buckets ? 0 : b;
    }

    /**
     * A random entry as {field, value} (value null for sets), or null when empty. Buckets differ in size, so a
     * bucket is kept with probability size/cap (rejection sampling): every entry is equally likely, as Redis's
     * fair random pick is, instead of favouring members of small buckets.
     */
    public byte[][] random(ThreadLocalRandom rnd) {
        if (size == 0) return null;
        byte[] bucket = run;
        if (bucket == null) {
            long buckets = bucketCount();
            int cap = 4 * TARGET_PER_BUCKET;
            while (true) {
                bucket = readBucket(rnd.nextLong(buckets));
                int n = Packed.count(bucket, 0) / (pairs ? 2 : 1);
                if (n > cap) cap = n;
                if (n > 0 && rnd.nextInt(cap) < n) break;
            }
        }
        int n = Packed.count(bucket, 0) / (pairs ? 2 : 1);
        int pick = rnd.nextInt(n);
        int at = Packed.first(bucket, 0);
        for (int i = 0; i < pick; i++) at = skipEntry(bucket, at);
        byte[] field = Packed.element(bucket, at);
        return new byte[][] {field, pairs ? Packed.element(bucket, Packed.next(bucket, at)) : null};
    }

    // ---- writes ----

    /** Sets a field (or adds a member); returns true when it was not there before. */
    public boolean put(byte[] field, byte[] value) {
        changed = true;
        if (run != null) {
            int at = findPacked(run, field);
            byte[] next = rewrite(run, at, field, value);
            if (at < 0) size++;
            if (size > limits.maxPackedEntries() || field.length > limits.maxPackedValue()
                    || (value != null && value.length > limits.maxPackedValue())) {
                convertToPaged(next);
            } else {
                run = next;
            }
            return at < 0;
        }
        long b = bucketOf(field);
        byte[] bucket = readBucket(b);
        int at = findPacked(bucket, field);
        writeBucket(b, rewrite(bucket, at, field, value));
        if (at >= 0) return false;
        size++;
        if (size > TARGET_PER_BUCKET * bucketCount()) splitOne();
        return true;
    }

    /** Removes a field or member; returns true when it was there. */
    public boolean remove(byte[] field) {
        if (run != null) {
            int at = findPacked(run, field);
            if (at < 0) return false;
            run = rewrite(run, at, null, null);
            size--;
            changed = true;
            return true;
        }
        long b = bucketOf(field);
        byte[] bucket = readBucket(b);
        int at = findPacked(bucket, field);
        if (at < 0) return false;
        writeBucket(b, rewrite(bucket, at, null, null));
        size--;
        changed = true;
        return true;
    }

    /** Writes the key's record back after changes; an emptied collection disappears, as in Redis. */
    public void commit() {
        if (!changed) return;
        if (size == 0) {
            if (existed) db.delete(key);
            else if (run == null) db.space().release(db.pagesTable(), id, bucketCount());
            return;
        }
        db.putCollection(key, Records.encode(type, expireAt, payload(), 0, payload().length, false));
    }

    private byte[] payload() {
        if (run != null) {
            byte[] p = new byte[run.length + 1];
            p[0] = PACKED;
            System.arraycopy(run, 0, p, 1, run.length);
            return p;
        }
        return pagedMeta(id, size, level, split);
    }

    static byte[] pagedMeta(long id, long size, int level, long split) {
        byte[] p = new byte[26];
        p[0] = PAGED;
        Records.putLong(p, 1, id);
        Records.putLong(p, 9, size);
        p[17] = (byte) level;
        Records.putLong(p, 18, split);
        return p;
    }

    /** The Redis encoding name OBJECT ENCODING reports. */
    public String encoding() {
        if (run == null) return "hashtable";
        if (pairs) return "listpack";
        // Redis 7.0 keeps small all-integer sets as an intset and every other set as a hashtable.
        boolean allIntegers = true;
        for (int at = Packed.first(run, 0), i = 0; i < size && allIntegers; i++, at = Packed.next(run, at)) {
            int off = Packed.dataOffset(run, at), len = Packed.length(run, at);
            allIntegers = io.simplekv.text.RedisNumbers.isLong(run, off, len);
        }
        return allIntegers ? "intset" : "hashtable";
    }

    // ---- packed runs ----

    public interface EntryVisitor {
        void visit(byte[] field, byte[] value);
    }

    private void visitRun(byte[] r, EntryVisitor v) {
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

    private int skipEntry(byte[] r, int at) {
        at = Packed.next(r, at);
        return pairs ? Packed.next(r, at) : at;
    }

    /** Offset of the field's length prefix in the run, or -1. */
    private int findPacked(byte[] r, byte[] field) {
        int n = Packed.count(r, 0);
        int at = Packed.first(r, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            if (Packed.elementEquals(r, at, field)) return at;
            at = skipEntry(r, at);
        }
        return -1;
    }

    /** The run with the entry at {@code at} replaced (or removed when field is null), or the entry appended. */
    private byte[] rewrite(byte[] r, int at, byte[] field, byte[] value) {
        Packed.Builder b = new Packed.Builder();
        int n = Packed.count(r, 0);
        int pos = Packed.first(r, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            int next = skipEntry(r, pos);
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

    // ---- buckets (linear hashing) ----

    private long bucketCount() {
        return (1L << level) + split;
    }

    private long bucketOf(byte[] field) {
        long h = db.space().fieldHash(field);
        long b = h & ((1L << level) - 1);
        if (b < split) b = h & ((1L << (level + 1)) - 1);
        return b;
    }

    private byte[] bucketKey(long bucket) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, bucket);
        return k;
    }

    private byte[] readBucket(long bucket) {
        byte[] b = db.pagesTable().get(bucketKey(bucket));
        return b == null ? Packed.EMPTY : b;
    }

    private void writeBucket(long bucket, byte[] content) {
        Storage pages = db.pagesTable();
        if (Packed.count(content, 0) == 0) pages.remove(bucketKey(bucket));
        else pages.put(bucketKey(bucket), content);
    }

    private void convertToPaged(byte[] all) {
        id = db.space().allocateId();
        level = INITIAL_LEVEL;
        split = 0;
        long buckets = bucketCount();
        Packed.Builder[] parts = new Packed.Builder[(int) buckets];
        int n = Packed.count(all, 0);
        int at = Packed.first(all, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            byte[] field = Packed.element(all, at);
            int b = (int) bucketOf(field);
            if (parts[b] == null) parts[b] = new Packed.Builder();
            parts[b].copy(all, at);
            if (pairs) parts[b].copy(all, Packed.next(all, at));
            at = skipEntry(all, at);
        }
        for (int b = 0; b < buckets; b++) if (parts[b] != null) writeBucket(b, parts[b].build());
        run = null;
    }

    /** Splits bucket {@code split} into itself and its image {@code split + 2^level}. */
    private void splitOne() {
        long from = split, to = split + (1L << level);
        long mask = (1L << (level + 1)) - 1;
        byte[] bucket = readBucket(from);
        Packed.Builder stay = new Packed.Builder(), move = new Packed.Builder();
        int n = Packed.count(bucket, 0);
        int at = Packed.first(bucket, 0);
        for (int i = 0; i < n; i += pairs ? 2 : 1) {
            byte[] field = Packed.element(bucket, at);
            Packed.Builder target = (db.space().fieldHash(field) & mask) == from ? stay : move;
            target.copy(bucket, at);
            if (pairs) target.copy(bucket, Packed.next(bucket, at));
            at = skipEntry(bucket, at);
        }
        writeBucket(from, stay.build());
        writeBucket(to, move.build());
        if (++split == (1L << level)) {
            level++;
            split = 0;
        }
    }

    /** All bucket numbers of a paged collection given its record payload; for freeing and copying. */
    static long[] pagedLayout(byte[] rec) {
        int off = Records.payloadOffset(rec);
        if (rec[off] != PAGED) return null;
        if (Records.type(rec) == KeyType.LIST) return ListTable.pagedLayout(rec);
        long id = Records.getLong(rec, off + 1);
        int level = rec[off + 17];
        long split = Records.getLong(rec, off + 18);
        return new long[] {id, (1L << level) + split};
    }

    /** OBJECT ENCODING of a hash or set record, as Redis 7.0 names it. */
    public static String encodingOf(byte[] rec) {
        if (isPagedCollection(rec)) return "hashtable";
        FieldTable t = new FieldTable(null, null, Records.type(rec), Records.NO_EXPIRY, CollectionLimits.REDIS_DEFAULTS, true);
        int off = Records.payloadOffset(rec);
        t.run = java.util.Arrays.copyOfRange(rec, off + 1, rec.length);
        t.size = Packed.count(t.run, 0) / (t.pairs ? 2 : 1);
        return t.encoding();
    }

    /** Whether a record's members live in pages (a big hash, set or list), which then must be freed or copied. */
    static boolean isPagedCollection(byte[] rec) {
        KeyType t = Records.type(rec);
        return (t == KeyType.HASH || t == KeyType.SET || t == KeyType.LIST) && Records.payloadLength(rec) > 0
                && rec[Records.payloadOffset(rec)] == PAGED;
    }

    /** Copies a collection record for COPY/MOVE: a paged one gets a fresh id and its own copy of every page. */
    static byte[] deepCopy(byte[] rec, Database from, Database to) {
        if (!isPagedCollection(rec)) return rec.clone();
        long[] layout = pagedLayout(rec);
        long newId = to.space().allocateId();
        for (long b = 0; b < layout[1]; b++) {
            byte[] k = new byte[16];
            Records.putLong(k, 0, layout[0]);
            Records.putLong(k, 8, b);
            byte[] content = from.pagesTable().get(k);
            if (content == null) continue;
            byte[] nk = k.clone();
            Records.putLong(nk, 0, newId);
            to.pagesTable().put(nk, content);
        }
        byte[] copy = rec.clone();
        Records.putLong(copy, Records.payloadOffset(copy) + 1, newId);
        return copy;
    }
}
