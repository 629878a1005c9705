package io.simplekv.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consumer group's pending entries list (Redis's group PEL): ID → consumer, delivery time and delivery count,
 * in ID order, in page records {@code [pel id][page]} of the pages table numbered in ID order from {@code first}
 * to {@code end - 1}. New deliveries have IDs above every pending one and go to the last page (a new one past
 * {@link #PAGE_ENTRIES}); XACK, XCLAIM and a lookup binary-search the page numbers on the pages' ranges, so each
 * touches O(log n) records. An entry delivered again below the top (after XGROUP SETID, or XCLAIM FORCE) joins
 * the page whose range covers it, which may then pass the bound. A page emptied at either end goes; one emptied in
 * the middle stays, empty, so the numbers stay dense. Pages read by a command are kept decoded until
 * {@link #flush}, which writes the changed ones.
 *
 * <p>Page: {@code [count 4][first id 16][last id 16]} then per entry {@code [id 16][delivery time 8][delivery
 * count 8][consumer length 4][consumer]}. A consumer's own list (Redis's consumer PEL) holds IDs only: its entries'
 * consumer is empty and their time and count 0; the group's list has the rest.
 */
public final class PendingList {
    static final int PAGE_ENTRIES = 64;

    /** One pending entry. */
    public record Nack(StreamId id, byte[] consumer, long deliveryTime, long deliveryCount) {}

    private static final class Page {
        StreamId first, last;
        final List<Nack> entries;

        Page(StreamId first, StreamId last, List<Nack> entries) {
            this.first = first;
            this.last = last;
            this.entries = entries;
        }
    }

    private final Database db;
    final long id;
    long first, end, count;
    private final Map<Long, Page> cache = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private final Set<Long> removed = new HashSet<>();

    PendingList(Database db, long id, long first, long end, long count) {
        this.db = db;
        this.id = id;
        this.first = first;
        this.end = end;
        this.count = count;
    }

    public long size() {
        return count;
    }

    // ---- reads ----

    public Nack get(StreamId target) {
        long p = pageCovering(target);
        if (p < 0) return null;
        Page page = page(p);
        int i = indexOf(page, target);
        return i >= 0 ? page.entries.get(i) : null;
    }

    /** What a walk does with each pending entry; returning false stops it. */
    public interface Visitor {
        boolean visit(Nack n);
    }

    /** Pending entries from {@code from} to {@code to} inclusive, ascending. */
    public void walk(StreamId from, StreamId to, Visitor v) {
        if (count == 0 || from.after(to)) return;
        for (long p = pageReaching(from); p >= 0 && p < end; p++) {
            for (Nack n : new ArrayList<>(page(p).entries)) {
                if (n.id().before(from)) continue;
                if (n.id().after(to)) return;
                if (!v.visit(n)) return;
            }
        }
    }

    /** The first {@code count} pending entries, in ID order. */
    public List<Nack> first(long count) {
        List<Nack> out = new ArrayList<>();
        walk(StreamId.MIN, StreamId.MAX, n -> {
            out.add(n);
            return out.size() < count;
        });
        return out;
    }

    /** The lowest and highest pending IDs, or null when nothing is pending. */
    public StreamId[] bounds() {
        if (count == 0) return null;
        StreamId lo = null, hi = null;
        for (long p = first; p < end && lo == null; p++) if (!page(p).entries.isEmpty()) lo = page(p).entries.get(0).id();
        for (long p = end - 1; p >= first && hi == null; p--) {
            List<Nack> e = page(p).entries;
            if (!e.isEmpty()) hi = e.get(e.size() - 1).id();
        }
        return new StreamId[] {lo, hi};
    }

    // ---- writes ----

    /** Adds a pending entry or replaces the one with its ID; returns the one replaced, or null. */
    public Nack put(Nack n) {
        if (end == first) {
            long p = end++;
            List<Nack> list = new ArrayList<>();
            list.add(n);
            store(p, new Page(n.id(), n.id(), list));
            count++;
            return null;
        }
        long p = pageCovering(n.id());
        if (p < 0) p = first; // below every page: the first takes it
        Page page = page(p);
        int i = indexOf(page, n.id());
        if (i >= 0) {
            Nack old = page.entries.set(i, n);
            store(p, page);
            return old;
        }
        if (p == end - 1 && n.id().after(page.last) && page.entries.size() >= PAGE_ENTRIES) {
            long np = end++;
            List<Nack> list = new ArrayList<>();
            list.add(n);
            store(np, new Page(n.id(), n.id(), list));
            count++;
            return null;
        }
        page.entries.add(-i - 1, n);
        if (n.id().before(page.first)) page.first = n.id();
        if (n.id().after(page.last)) page.last = n.id();
        store(p, page);
        count++;
        return null;
    }

    /** Removes a pending entry; returns it, or null when the ID was not pending. */
    public Nack remove(StreamId target) {
        long p = pageCovering(target);
        if (p < 0) return null;
        Page page = page(p);
        int i = indexOf(page, target);
        if (i < 0) return null;
        Nack old = page.entries.remove(i);
        count--;
        store(p, page);
        if (page.entries.isEmpty()) {
            if (p == first) {
                while (first < end && page(first).entries.isEmpty()) drop(first++);
            } else if (p == end - 1) {
                while (end > first && page(end - 1).entries.isEmpty()) drop(--end);
            }
        }
        return old;
    }

    /** Writes the pages this command changed. */
    void flush() {
        for (long p : removed) db.pagesTable().remove(key(p));
        for (long p : dirty) db.pagesTable().put(key(p), encode(cache.get(p)));
        removed.clear();
        dirty.clear();
    }

    /** Frees every page in the background (the group is gone). */
    void release() {
        db.space().release(db.pagesTable(), id, first, end);
    }

    // ---- pages ----

    /** The last page whose range starts at or below {@code target}, or -1. */
    private long pageCovering(StreamId target) {
        if (count == 0 && end == first) return -1;
        if (!page(end - 1).first.after(target)) return end - 1;
        if (page(first).first.after(target)) return -1;
        long lo = first, hi = end - 2;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (page(mid).first.after(target)) hi = mid - 1;
            else lo = mid;
        }
        return lo;
    }

    /** The first page whose range reaches {@code from}, or -1. */
    private long pageReaching(StreamId from) {
        if (!page(first).last.before(from)) return first;
        if (page(end - 1).last.before(from)) return -1;
        long lo = first + 1, hi = end - 1;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (page(mid).last.before(from)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int indexOf(Page page, StreamId target) {
        int lo = 0, hi = page.entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = page.entries.get(mid).id().compareTo(target);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    private Page page(long p) {
        Page page = cache.get(p);
        if (page != null) return page;
        byte[] raw = db.pagesTable().get(key(p));
        if (raw == null) throw new IllegalStateException("pending list page " + p + " of " + id + " is missing");
        page = decode(raw);
        cache.put(p, page);
        return page;
    }

    private void store(long p, Page page) {
        cache.put(p, page);
        dirty.add(p);
        removed.remove(p);
    }

    private void drop(long p) {
        cache.remove(p);
        dirty.remove(p);
        removed.add(p);
    }

    private byte[] key(long p) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, p);
        return k;
    }

    private static byte[] encode(Page page) {
        int size = 36;
        for (Nack n : page.entries) size += 36 + n.consumer().length;
        byte[] b = new byte[size];
        Records.putInt(b, 0, page.entries.size());
        StreamId.write(b, 4, page.first);
        StreamId.write(b, 20, page.last);
        int at = 36;
        for (Nack n : page.entries) {
            StreamId.write(b, at, n.id());
            Records.putLong(b, at + 16, n.deliveryTime());
            Records.putLong(b, at + 24, n.deliveryCount());
            Records.putInt(b, at + 32, n.consumer().length);
            System.arraycopy(n.consumer(), 0, b, at + 36, n.consumer().length);
            at += 36 + n.consumer().length;
        }
        return b;
    }

    private static Page decode(byte[] b) {
        int n = Records.getInt(b, 0);
        List<Nack> entries = new ArrayList<>(n + 1);
        int at = 36;
        for (int i = 0; i < n; i++) {
            int len = Records.getInt(b, at + 32);
            entries.add(new Nack(StreamId.read(b, at), Arrays.copyOfRange(b, at + 36, at + 36 + len),
                    Records.getLong(b, at + 16), Records.getLong(b, at + 24)));
            at += 36 + len;
        }
        return new Page(StreamId.read(b, 4), StreamId.read(b, 20), entries);
    }
}
