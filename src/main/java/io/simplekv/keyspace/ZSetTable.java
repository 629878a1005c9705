package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A sorted set opened for the length of one command, under its key's lock. Order is Redis's: by score, then by
 * member bytes compared unsigned.
 *
 * <p>Small: the key's record holds one {@link Packed} run of (member, score) pairs kept in order, Redis's listpack.
 * Past the limits it becomes paged, once and for good: {@link ZSetPages} keeps a member → score hash in buckets (one
 * record read for ZSCORE, one or two written for ZADD) beside an order-statistic B+tree of (score, member) whose
 * nodes count their subtrees, so rank, range and count by score cost O(log n) record reads however big it grows.
 *
 * <p>Record payload: {@code [0 packed][run]} or {@code [1 paged]} then {@link ZSetPages}'s metadata.
 */
public final class ZSetTable {
    public record Entry(byte[] member, double score) {}

    static final int PACKED = 0;
    static final int PAGED = 1;

    private final Database db;
    private final byte[] key;
    private final long expireAt;
    private final CollectionLimits limits;
    private final boolean existed;
    private final ZSetPages.Shape shape;

    private List<Entry> small; // packed state, in order; null once paged
    private ZSetPages big;
    private byte[] storedMeta; // a paged zset's metadata as its record holds it: a rescore leaves it as it was
    private boolean changed;

    private ZSetTable(Database db, byte[] key, long expireAt, CollectionLimits limits, boolean existed,
            ZSetPages.Shape shape) {
        this.db = db;
        this.key = key;
        this.expireAt = expireAt;
        this.limits = limits;
        this.existed = existed;
        this.shape = shape;
    }

    /** The zset at key, or null if there is none; WRONGTYPE for a key of another type. */
    public static ZSetTable open(Database db, byte[] key, CollectionLimits limits) {
        return open(db, key, limits, ZSetPages.Shape.DEFAULT);
    }

    /** The zset at key, created empty (not stored until {@link #commit}) if absent. */
    public static ZSetTable openOrCreate(Database db, byte[] key, CollectionLimits limits) {
        return openOrCreate(db, key, limits, ZSetPages.Shape.DEFAULT);
    }

    static ZSetTable open(Database db, byte[] key, CollectionLimits limits, ZSetPages.Shape shape) {
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (Records.type(rec) != KeyType.ZSET) throw RedisError.WRONGTYPE;
        ZSetTable t = new ZSetTable(db, key, Records.expireAt(rec), limits, true, shape);
        int off = Records.payloadOffset(rec);
        if (rec[off] == PACKED) t.small = decode(rec, off + 1);
        else {
            t.big = ZSetPages.load(db, shape, rec, off + 1);
            t.storedMeta = Arrays.copyOfRange(rec, off, rec.length);
        }
        return t;
    }

    static ZSetTable openOrCreate(Database db, byte[] key, CollectionLimits limits, ZSetPages.Shape shape) {
        ZSetTable t = open(db, key, limits, shape);
        if (t != null) return t;
        t = new ZSetTable(db, key, Records.NO_EXPIRY, limits, false, shape);
        t.small = new ArrayList<>();
        return t;
    }

    public long size() {
        return small != null ? small.size() : big.size();
    }

    // ---- reads ----

    /** The member's score, or NaN when it is not there. */
    public double score(byte[] member) {
        if (small == null) return big.score(member);
        int i = indexOf(member);
        return i < 0 ? Double.NaN : small.get(i).score();
    }

    /** 0-based rank in ascending order, or -1 when absent. */
    public long rank(byte[] member) {
        if (small == null) return big.rank(member);
        return indexOf(member);
    }

    /** How many entries have a score below {@code score} (or equal to it, when inclusive). */
    public long countBelow(double score, boolean inclusive) {
        if (small == null) return big.countWhile(ZSetOrder.scoreBelow(score, inclusive));
        return countWhile(ZSetOrder.scoreBelow(score, inclusive));
    }

    /** How many entries have a member below {@code member} (or equal), assuming all scores are equal (ZRANGEBYLEX). */
    public long countBelowLex(byte[] member, boolean inclusive) {
        if (small == null) return big.countWhile(ZSetOrder.memberBelow(member, inclusive));
        return countWhile(ZSetOrder.memberBelow(member, inclusive));
    }

    /**
     * Up to {@code count} entries by rank: ascending from rank {@code start}, or, when descending, from reverse rank
     * {@code start} (0 is the highest) downwards.
     */
    public List<Entry> range(long start, long count, boolean descending) {
        long n = size();
        if (start < 0 || start >= n || count <= 0) return new ArrayList<>();
        count = Math.min(count, n - start);
        if (small == null) return big.range(start, count, descending);
        List<Entry> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(small.get((int) (descending ? n - 1 - start - i : start + i)));
        }
        return out;
    }

    /** The entry at an ascending rank, or null when out of range. */
    public Entry at(long rank) {
        if (rank < 0 || rank >= size()) return null;
        if (small == null) return big.at(rank);
        return small.get((int) rank);
    }

    /** ZSCAN: like {@link FieldTable#scan}; a packed zset is returned whole, cursor 0. */
    public long scan(long cursor, int count, BiConsumer<byte[], Double> visitor) {
        if (small == null) return big.scan(cursor, count, visitor);
        forEach(visitor);
        return 0;
    }

    /** Visits every entry in ascending order. */
    public void forEach(BiConsumer<byte[], Double> visitor) {
        if (small == null) {
            big.forEach(visitor);
            return;
        }
        for (Entry e : small) visitor.accept(e.member(), e.score());
    }

    // ---- writes ----

    /** Adds a member or changes its score; returns true when the member is new. */
    public boolean put(byte[] member, double score) {
        if (score == 0) score = 0.0; // -0.0 and 0.0 are one score, as in Redis
        if (small == null) {
            int r = big.put(member, score);
            if (r != ZSetPages.UNCHANGED) changed = true;
            return r == ZSetPages.ADDED;
        }
        int i = indexOf(member);
        if (i >= 0) {
            if (Double.compare(small.get(i).score(), score) == 0) return false;
            small.remove(i);
        }
        Entry e = new Entry(member, score);
        small.add(insertionPoint(e), e);
        changed = true;
        if (small.size() > limits.maxPackedEntries() || member.length > limits.maxPackedValue()) convertToPaged();
        return i < 0;
    }

    /** Removes a member; returns true when it was there. */
    public boolean remove(byte[] member) {
        if (small == null) {
            boolean was = big.remove(member);
            changed |= was;
            return was;
        }
        int i = indexOf(member);
        if (i < 0) return false;
        small.remove(i);
        changed = true;
        return true;
    }

    /** Removes ascending ranks from..toInclusive (clamped to the zset); returns how many went. */
    public long removeRange(long from, long toInclusive) {
        from = Math.max(0, from);
        toInclusive = Math.min(size() - 1, toInclusive);
        if (from > toInclusive) return 0;
        long n = toInclusive - from + 1;
        changed = true;
        if (small == null) {
            big.removeRange(from, n);
        } else {
            small.subList((int) from, (int) toInclusive + 1).clear();
        }
        return n;
    }

    /** Writes the key's record back after changes; an emptied zset disappears, as in Redis. */
    public void commit() {
        if (!changed) return;
        changed = false;
        if (size() == 0) {
            // The pages as they are now, not as the stored record names them: this command may have added some.
            if (big != null) big.release();
            if (existed) db.detach(key);
            return;
        }
        byte[] payload;
        if (small != null) {
            Packed.Builder b = new Packed.Builder();
            for (Entry e : small) {
                b.add(e.member());
                b.add(ZSetOrder.scoreBytes(e.score()));
            }
            byte[] run = b.build();
            payload = new byte[run.length + 1];
            payload[0] = PACKED;
            System.arraycopy(run, 0, payload, 1, run.length);
        } else {
            payload = big.meta(PAGED);
            if (Arrays.equals(payload, storedMeta)) {
                db.pagesChanged(key);
                return;
            }
            storedMeta = payload;
        }
        db.putCollection(key, Records.encode(KeyType.ZSET, expireAt, payload, 0, payload.length, false));
    }

    /** The Redis 7.0 name OBJECT ENCODING reports. */
    public String encoding() {
        return small != null ? "listpack" : "skiplist";
    }

    public static String encodingOf(byte[] rec) {
        return rec[Records.payloadOffset(rec)] == PACKED ? "listpack" : "skiplist";
    }

    /** {id, page-number bound} of a paged zset record, for freeing and copying. */
    static long[] pagedLayout(byte[] rec) {
        return ZSetPages.layout(rec, Records.payloadOffset(rec) + 1);
    }

    // ---- packed ----

    private int indexOf(byte[] member) {
        for (int i = 0; i < small.size(); i++) if (Arrays.equals(small.get(i).member(), member)) return i;
        return -1;
    }

    private int insertionPoint(Entry e) {
        int lo = 0, hi = small.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ZSetOrder.compare(small.get(mid), e) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Entries at the start of the order for which {@code below} holds (it holds on a prefix of the order). */
    private long countWhile(ZSetOrder.Below below) {
        int lo = 0, hi = small.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Entry e = small.get(mid);
            if (below.test(e.score(), e.member(), 0, e.member().length)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private void convertToPaged() {
        big = ZSetPages.create(db, shape, small);
        small = null;
    }

    static List<Entry> decode(byte[] b, int off) {
        int n = Packed.count(b, off) / 2;
        List<Entry> out = new ArrayList<>(n + 1);
        int at = Packed.first(b, off);
        for (int i = 0; i < n; i++) {
            byte[] member = Packed.element(b, at);
            at = Packed.next(b, at);
            out.add(new Entry(member, ZSetOrder.score(b, Packed.dataOffset(b, at))));
            at = Packed.next(b, at);
        }
        return out;
    }
}
