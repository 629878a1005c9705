package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash (field → value) or a set (members only) opened for the length of one command, under its key's lock.
 *
 * <p>Small: the key's record holds one {@link Packed} run (fields and values alternate for hashes), so a read walks
 * bytes in place and a write rewrites one small record. Big: the record holds only metadata (id, size, linear-hashing
 * level and split pointer) and the members live in {@link Buckets}, records {@code [id][bucket]} of the database's
 * pages table, so one HSET or SADD touches at most three records however big the collection is.
 *
 * <p>Record payload: {@code [encoding: 0 packed | 1 paged]} then the run, or {@code [id 8][size 8][level 1][split 8]}.
 */
public final class FieldTable {
    static final int PACKED = 0;
    /** A packed set that once held a non-integer: Redis converted it to a hashtable for good, so OBJECT ENCODING says so. */
    static final int PACKED_NOT_INTSET = 2;
    static final int PAGED = 1;

    private final Database db;
    private final byte[] key;
    private final KeyType type;
    private final boolean pairs;
    private final long expireAt;
    private final CollectionLimits limits;
    private final boolean existed;

    private byte[] run; // packed state; null once paged
    private boolean notIntset;
    private long id;
    private long size;
    private Buckets buckets; // paged state
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
        if (rec[off] == PACKED || rec[off] == PACKED_NOT_INTSET) {
            t.notIntset = rec[off] == PACKED_NOT_INTSET;
            t.run = java.util.Arrays.copyOfRange(rec, off + 1, rec.length);
            t.size = Packed.count(t.run, 0) / (t.pairs ? 2 : 1);
        } else {
            t.id = Records.getLong(rec, off + 1);
            t.size = Records.getLong(rec, off + 9);
            t.buckets = new Buckets(db, t.id, t.pairs, 1, rec[off + 17], Records.getLong(rec, off + 18));
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
        if (run == null) return buckets.get(field);
        int at = Buckets.find(run, field, pairs);
        if (at < 0) return null;
        return pairs ? Packed.element(run, Packed.next(run, at)) : field;
    }

    public boolean contains(byte[] field) {
        if (run == null) return buckets.contains(field);
        return Buckets.find(run, field, pairs) >= 0;
    }

    /** Visits every entry; value is null for sets. */
    public void forEach(EntryVisitor v) {
        if (run == null) buckets.forEach(v);
        else Buckets.visit(run, pairs, v);
    }

    /**
     * HSCAN/SSCAN: visits whole buckets from the cursor until about {@code count} entries are seen; returns the next
     * cursor or 0. A packed collection is returned whole in one call, as Redis does for listpacks.
     */
    public long scan(long cursor, int count, EntryVisitor v) {
        if (run == null) return buckets.scan(cursor, count, v);
        Buckets.visit(run, pairs, v);
        return 0;
    }

    /** A random entry as {field, value} (value null for sets), or null when empty; every entry equally likely. */
    public byte[][] random(ThreadLocalRandom rnd) {
        if (size == 0) return null;
        byte[] bucket = run != null ? run : buckets.randomBucket(rnd);
        int n = Packed.count(bucket, 0) / (pairs ? 2 : 1);
        int pick = rnd.nextInt(n);
        int at = Packed.first(bucket, 0);
        for (int i = 0; i < pick; i++) at = Buckets.skip(bucket, at, pairs);
        byte[] field = Packed.element(bucket, at);
        return new byte[][] {field, pairs ? Packed.element(bucket, Packed.next(bucket, at)) : null};
    }

    // ---- writes ----

    /** Sets a field (or adds a member); returns true when it was not there before. */
    public boolean put(byte[] field, byte[] value) {
        if (run != null) {
            int at = Buckets.find(run, field, pairs);
            // A member a set has already is no change: nothing is written, and no one (WATCH) hears of a write.
            if (at >= 0 && !pairs) return false;
            changed = true;
            if (!pairs && !notIntset) notIntset = !io.simplekv.text.RedisNumbers.isLong(field, 0, field.length);
            // An intset is sorted, and SMEMBERS/SSCAN/SINTER list it in that order: keep an all-integer run so.
            byte[] next = !pairs && !notIntset ? insertInOrder(run, field) : Buckets.rewrite(run, at, field, value, pairs);
            if (at < 0) size++;
            if (size > limits.maxPackedEntries() || field.length > limits.maxPackedValue()
                    || (value != null && value.length > limits.maxPackedValue())) {
                convertToPaged(next);
            } else {
                run = next;
            }
            return at < 0;
        }
        if (!buckets.put(field, value)) {
            // A hash's field set again is a change even to the same value, as Redis's HSET signals it; a set's member isn't.
            if (pairs) changed = true;
            return false;
        }
        changed = true;
        buckets.grow(++size);
        return true;
    }

    /** The run of integers with one more, before the first that is greater (the order of Redis's intset). */
    private static byte[] insertInOrder(byte[] run, byte[] member) {
        long v = io.simplekv.text.RedisNumbers.parseLong(member);
        Packed.Builder b = new Packed.Builder();
        boolean placed = false;
        for (int i = 0, n = Packed.count(run, 0), at = Packed.first(run, 0); i < n; i++, at = Packed.next(run, at)) {
            if (!placed && io.simplekv.text.RedisNumbers.parseLong(run, Packed.dataOffset(run, at), Packed.length(run, at)) > v) {
                b.add(member);
                placed = true;
            }
            b.copy(run, at);
        }
        if (!placed) b.add(member);
        return b.build();
    }

    /** Removes a field or member; returns true when it was there. */
    public boolean remove(byte[] field) {
        if (run != null) {
            int at = Buckets.find(run, field, pairs);
            if (at < 0) return false;
            run = Buckets.rewrite(run, at, null, null, pairs);
            size--;
            changed = true;
            return true;
        }
        if (buckets.remove(field) == null) return false;
        size--;
        changed = true;
        return true;
    }

    /** Writes the key's record back after changes; an emptied collection disappears, as in Redis. */
    public void commit() {
        if (!changed) return;
        if (size == 0) {
            if (existed) db.delete(key);
            else if (run == null) db.space().release(db.pagesTable(), id, buckets.count());
            return;
        }
        db.putCollection(key, Records.encode(type, expireAt, payload(), 0, payload().length, false));
    }

    private byte[] payload() {
        if (run != null) {
            byte[] p = new byte[run.length + 1];
            p[0] = (byte) (notIntset ? PACKED_NOT_INTSET : PACKED);
            System.arraycopy(run, 0, p, 1, run.length);
            return p;
        }
        return pagedMeta(id, size, buckets.level(), buckets.split());
    }

    private static byte[] pagedMeta(long id, long size, int level, long split) {
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
        boolean allIntegers = !notIntset;
        for (int at = Packed.first(run, 0), i = 0; i < size && allIntegers; i++, at = Packed.next(run, at)) {
            int off = Packed.dataOffset(run, at), len = Packed.length(run, at);
            allIntegers = io.simplekv.text.RedisNumbers.isLong(run, off, len);
        }
        return allIntegers ? "intset" : "hashtable";
    }

    // ---- entries ----

    public interface EntryVisitor {
        void visit(byte[] field, byte[] value);
    }

    private void convertToPaged(byte[] all) {
        id = db.space().allocateId();
        buckets = Buckets.create(db, id, pairs, 1, all);
        run = null;
    }

    /** All bucket numbers of a paged collection given its record payload; for freeing and copying. */
    static long[] pagedLayout(byte[] rec) {
        int off = Records.payloadOffset(rec);
        if (rec[off] != PAGED) return null;
        if (Records.type(rec) == KeyType.LIST) return ListTable.pagedLayout(rec);
        if (Records.type(rec) == KeyType.ZSET) return ZSetTable.pagedLayout(rec);
        if (Records.type(rec) == KeyType.STREAM) return new long[] {Records.getLong(rec, off + 1), StreamTable.layout(rec)[2]};
        long id = Records.getLong(rec, off + 1);
        return new long[] {id, Buckets.count(rec[off + 17], Records.getLong(rec, off + 18))};
    }

    /** OBJECT ENCODING of a hash or set record, as Redis 7.0 names it. */
    public static String encodingOf(byte[] rec) {
        if (isPagedCollection(rec)) return "hashtable";
        FieldTable t = new FieldTable(null, null, Records.type(rec), Records.NO_EXPIRY, CollectionLimits.REDIS_DEFAULTS, true);
        int off = Records.payloadOffset(rec);
        t.notIntset = rec[off] == PACKED_NOT_INTSET;
        t.run = java.util.Arrays.copyOfRange(rec, off + 1, rec.length);
        t.size = Packed.count(t.run, 0) / (t.pairs ? 2 : 1);
        return t.encoding();
    }

    /**
     * Redis's lazyfreeGetFreeEffort: a hash table's (a Redis 7.0 set that is no intset, a paged hash or zset)
     * element count, a list's quicklist nodes (our pages), a stream's radix-tree nodes, and 1 for a value that is
     * one allocation (a string, a listpack, an intset).
     */
    static long freeEffort(byte[] rec) {
        KeyType t = Records.type(rec);
        if (t == KeyType.STRING || Records.payloadLength(rec) == 0) return 1;
        int off = Records.payloadOffset(rec);
        if (isPagedCollection(rec)) {
            return switch (t) {
                case STREAM -> Records.getLong(rec, off + 97);
                case LIST -> Records.getLong(rec, off + 33);
                default -> Records.getLong(rec, off + 9);
            };
        }
        if (t != KeyType.SET || !encodingOf(rec).equals("hashtable")) return 1;
        return Packed.count(rec, off + 1);
    }

    /** Whether a record's members live in pages (a big hash, set, list or zset), which then must be freed or copied. */
    public static boolean isPagedCollection(byte[] rec) {
        KeyType t = Records.type(rec);
        return t != KeyType.STRING && Records.payloadLength(rec) > 0
                && rec[Records.payloadOffset(rec)] == PAGED;
    }

    /** Copies a collection record for COPY/MOVE: a paged one gets a fresh id and its own copy of every page. */
    static byte[] deepCopy(byte[] rec, Database from, Database to) {
        if (!isPagedCollection(rec)) return rec.clone();
        long newId = to.space().allocateId();
        if (Records.type(rec) == KeyType.STREAM) {
            StreamTable.copyPages(rec, from, to, newId);
        } else {
            copyPages(from, to, pagedLayout(rec)[0], newId, 0, pagedLayout(rec)[1]);
        }
        byte[] copy = rec.clone();
        Records.putLong(copy, Records.payloadOffset(copy) + 1, newId);
        return copy;
    }

    static void copyPages(Database from, Database to, long id, long newId, long first, long end) {
        for (long b = first; b < end; b++) {
            byte[] k = new byte[16];
            Records.putLong(k, 0, id);
            Records.putLong(k, 8, b);
            byte[] content = from.pagesTable().get(k);
            if (content == null) continue;
            byte[] nk = k.clone();
            Records.putLong(nk, 0, newId);
            // Its own array: an engine that hands out its stored arrays lets a command change a bucket in place.
            to.pagesTable().put(nk, content.clone());
        }
    }
}
