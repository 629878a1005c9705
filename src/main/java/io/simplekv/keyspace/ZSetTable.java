package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A sorted set opened for one command, under its key's lock: for now one packed record of (member, score) pairs
 * kept in order, rewritten whole on every change (O(n) per write). The paged, O(log n) form replaces this.
 */
public final class ZSetTable {
    public record Entry(byte[] member, double score) {}

    private final Database db;
    private final byte[] key;
    private final long expireAt;
    private final boolean existed;
    private final List<Entry> entries = new ArrayList<>();
    private boolean changed;

    private ZSetTable(Database db, byte[] key, long expireAt, boolean existed) {
        this.db = db;
        this.key = key;
        this.expireAt = expireAt;
        this.existed = existed;
    }

    public static ZSetTable open(Database db, byte[] key, CollectionLimits limits) {
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (Records.type(rec) != KeyType.ZSET) throw RedisError.WRONGTYPE;
        return open(db, key, rec);
    }

    private static ZSetTable open(Database db, byte[] key, byte[] rec) {
        ZSetTable t = new ZSetTable(db, key, Records.expireAt(rec), true);
        int off = Records.payloadOffset(rec) + 1;
        byte[] run = Arrays.copyOfRange(rec, off, rec.length);
        int n = Packed.count(run, 0);
        int at = Packed.first(run, 0);
        for (int i = 0; i < n; i += 2) {
            byte[] m = Packed.element(run, at);
            at = Packed.next(run, at);
            byte[] s = Packed.element(run, at);
            at = Packed.next(run, at);
            t.entries.add(new Entry(m, Double.longBitsToDouble(Records.getLong(s, 0))));
        }
        return t;
    }

    public static ZSetTable openOrCreate(Database db, byte[] key, CollectionLimits limits) {
        ZSetTable t = open(db, key, limits);
        return t != null ? t : new ZSetTable(db, key, Records.NO_EXPIRY, false);
    }

    public long size() {
        return entries.size();
    }

    private int find(byte[] member) {
        for (int i = 0; i < entries.size(); i++) if (Arrays.equals(entries.get(i).member(), member)) return i;
        return -1;
    }

    private static int compare(Entry a, Entry b) {
        int c = Double.compare(a.score() == 0 ? 0.0 : a.score(), b.score() == 0 ? 0.0 : b.score());
        return c != 0 ? c : Arrays.compareUnsigned(a.member(), b.member());
    }

    public double score(byte[] member) {
        int i = find(member);
        return i < 0 ? Double.NaN : entries.get(i).score();
    }

    public boolean put(byte[] member, double score) {
        changed = true;
        int i = find(member);
        if (i >= 0) entries.remove(i);
        Entry e = new Entry(member, score == 0 ? 0.0 : score);
        int at = 0;
        while (at < entries.size() && compare(entries.get(at), e) < 0) at++;
        entries.add(at, e);
        return i < 0;
    }

    public boolean remove(byte[] member) {
        int i = find(member);
        if (i < 0) return false;
        entries.remove(i);
        changed = true;
        return true;
    }

    public long rank(byte[] member) {
        return find(member);
    }

    public long countBelow(double score, boolean inclusive) {
        long n = 0;
        for (Entry e : entries) if (e.score() < score || (inclusive && e.score() == score)) n++;
        return n;
    }

    public long countBelowLex(byte[] member, boolean inclusive) {
        long n = 0;
        for (Entry e : entries) {
            int c = Arrays.compareUnsigned(e.member(), member);
            if (c < 0 || (inclusive && c == 0)) n++;
        }
        return n;
    }

    public List<Entry> range(long start, long count, boolean descending) {
        List<Entry> out = new ArrayList<>();
        for (long i = start; i < entries.size() && out.size() < count; i++) {
            out.add(entries.get((int) (descending ? entries.size() - 1 - i : i)));
        }
        return out;
    }

    public Entry at(long rank) {
        return rank < 0 || rank >= entries.size() ? null : entries.get((int) rank);
    }

    public long removeRange(long from, long toInclusive) {
        long n = 0;
        for (long i = toInclusive; i >= from; i--) {
            entries.remove((int) i);
            n++;
        }
        changed |= n > 0;
        return n;
    }

    public long scan(long cursor, int count, BiConsumer<byte[], Double> visitor) {
        forEach(visitor);
        return 0;
    }

    public void forEach(BiConsumer<byte[], Double> visitor) {
        for (Entry e : entries) visitor.accept(e.member(), e.score());
    }

    public String encoding() {
        return entries.size() > CollectionLimits.REDIS_DEFAULTS.maxPackedEntries() ? "skiplist" : "listpack";
    }

    public static String encodingOf(byte[] rec) {
        return open(null, null, rec).encoding();
    }

    public void commit() {
        if (!changed) return;
        if (entries.isEmpty()) {
            if (existed) db.delete(key);
            return;
        }
        Packed.Builder b = new Packed.Builder();
        for (Entry e : entries) {
            b.add(e.member());
            b.add(Records.longBytes(Double.doubleToLongBits(e.score())));
        }
        byte[] run = b.build();
        byte[] p = new byte[run.length + 1];
        System.arraycopy(run, 0, p, 1, run.length);
        db.putCollection(key, Records.encode(KeyType.ZSET, expireAt, p, 0, p.length, false));
    }
}
