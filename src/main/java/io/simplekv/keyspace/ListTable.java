package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list opened for the length of one command, under its key's lock.
 *
 * <p>Small: the key's record holds one {@link Packed} run. Big: the record holds {@code [id][size][head][tail]
 * [next page number]} and the elements live in a doubly linked chain of page records {@code [id][page] →
 * [prev][next][run]} of at most {@link #PAGE_ELEMENTS} each (Redis's quicklist in records), so pushes and pops at
 * either end touch O(1) records however long the list is; reaching index i walks pages from the nearer end.
 */
public final class ListTable {
    static final int PACKED = 0;
    static final int PAGED = 1;
    static final int PAGE_ELEMENTS = 64;
    static final int PACKED_MAX_ENTRIES = 128;
    static final int PACKED_MAX_ELEMENT = 64;
    private static final long NONE = -1;

    private final Database db;
    private final byte[] key;
    private final long expireAt;
    private final boolean existed;
    private List<byte[]> small; // packed state, decoded (at most 128 short elements); null once paged
    private long id, size, head = NONE, tail = NONE, nextPage;
    private boolean changed;

    private ListTable(Database db, byte[] key, long expireAt, boolean existed) {
        this.db = db;
        this.key = key;
        this.expireAt = expireAt;
        this.existed = existed;
    }

    public static ListTable open(Database db, byte[] key) {
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (Records.type(rec) != KeyType.LIST) throw RedisError.WRONGTYPE;
        ListTable t = new ListTable(db, key, Records.expireAt(rec), true);
        int off = Records.payloadOffset(rec);
        if (rec[off] == PACKED) {
            t.small = decode(rec, off + 1);
            t.size = t.small.size();
        } else {
            t.id = Records.getLong(rec, off + 1);
            t.size = Records.getLong(rec, off + 9);
            t.head = Records.getLong(rec, off + 17);
            t.tail = Records.getLong(rec, off + 25);
            t.nextPage = Records.getLong(rec, off + 33);
        }
        return t;
    }

    public static ListTable openOrCreate(Database db, byte[] key) {
        ListTable t = open(db, key);
        if (t != null) return t;
        t = new ListTable(db, key, Records.NO_EXPIRY, false);
        t.small = new ArrayList<>();
        return t;
    }

    public long size() {
        return size;
    }

    // ---- ends ----

    public void push(boolean left, byte[] value) {
        changed = true;
        size++;
        if (small != null) {
            if (left) small.add(0, value);
            else small.add(value);
            if (small.size() > PACKED_MAX_ENTRIES || value.length > PACKED_MAX_ELEMENT) convertToPaged();
            return;
        }
        long end = left ? head : tail;
        // The end page's bytes are copied around the new element, not decoded into objects and encoded again.
        byte[] raw = rawPage(end);
        if (Packed.count(raw, 16) < PAGE_ELEMENTS) {
            putRawPage(end, withEndElement(raw, value, left));
            return;
        }
        long fresh = nextPage++;
        Page np = new Page(left ? NONE : end, left ? end : NONE, new ArrayList<>(List.of(value)));
        writePage(fresh, np);
        if (left) head = fresh;
        else tail = fresh;
        putRawPage(end, relinked(raw, left ? 0 : 8, fresh));
    }

    /** A page's bytes with {@code value} added as its first or last element. */
    private static byte[] withEndElement(byte[] raw, byte[] value, boolean first) {
        int n = Packed.count(raw, 16), at = Packed.first(raw, 16), body = raw.length - at;
        int entry = Packed.varintSize(value.length) + value.length;
        byte[] out = new byte[16 + Packed.varintSize(n + 1) + body + entry];
        System.arraycopy(raw, 0, out, 0, 16);
        int w = Packed.putVarint(out, 16, n + 1);
        if (first) w = putEntry(out, w, value);
        System.arraycopy(raw, at, out, w, body);
        if (!first) putEntry(out, w + body, value);
        return out;
    }

    private static int putEntry(byte[] out, int at, byte[] value) {
        at = Packed.putVarint(out, at, value.length);
        System.arraycopy(value, 0, out, at, value.length);
        return at + value.length;
    }

    /** A page's bytes with its prev (offset 0) or next (offset 8) link changed; the stored array is not touched. */
    private static byte[] relinked(byte[] raw, int field, long page) {
        byte[] out = raw.clone();
        Records.putLong(out, field, page);
        return out;
    }

    /** A page's bytes without its first or last element, which goes to {@code removed[0]}. */
    private static byte[] withoutEndElement(byte[] raw, boolean first, byte[][] removed) {
        int n = Packed.count(raw, 16), start = Packed.first(raw, 16);
        int from, to; // the removed element's bytes, length prefix included
        if (first) {
            from = start;
        } else {
            from = start;
            for (int i = 1; i < n; i++) from = Packed.next(raw, from);
        }
        to = Packed.next(raw, from);
        removed[0] = Packed.element(raw, from);
        byte[] out = new byte[16 + Packed.varintSize(n - 1) + (raw.length - start) - (to - from)];
        System.arraycopy(raw, 0, out, 0, 16);
        int w = Packed.putVarint(out, 16, n - 1);
        System.arraycopy(raw, start, out, w, from - start);
        System.arraycopy(raw, to, out, w + (from - start), raw.length - to);
        return out;
    }

    public byte[] pop(boolean left) {
        if (size == 0) return null;
        changed = true;
        size--;
        if (small != null) return small.remove(left ? 0 : small.size() - 1);
        long end = left ? head : tail;
        byte[] raw = rawPage(end);
        if (Packed.count(raw, 16) > 1) {
            byte[][] v = new byte[1][];
            putRawPage(end, withoutEndElement(raw, left, v));
            return v[0];
        }
        byte[] v = Packed.element(raw, Packed.first(raw, 16));
        dropPage(end, Records.getLong(raw, 0), Records.getLong(raw, 8));
        return v;
    }

    // ---- by index (0-based, already normalised by the caller) ----

    public byte[] get(long index) {
        if (index < 0 || index >= size) return null;
        if (small != null) return small.get((int) index);
        long[] at = locate(index);
        // One element out of the raw page, without decoding the other elements into objects.
        byte[] raw = rawPage(at[0]);
        int pos = Packed.first(raw, 16);
        for (long i = 0; i < at[1]; i++) pos = Packed.next(raw, pos);
        return Packed.element(raw, pos);
    }

    public boolean set(long index, byte[] value) {
        if (index < 0 || index >= size) return false;
        changed = true;
        if (small != null) {
            small.set((int) index, value);
            if (value.length > PACKED_MAX_ELEMENT) convertToPaged();
            return true;
        }
        long[] at = locate(index);
        Page p = readPage(at[0]);
        p.elements.set((int) at[1], value);
        writePage(at[0], p);
        return true;
    }

    /** What receives the elements of {@link #visitRange}: a view of the page holding each, valid during the call. */
    public interface ElementVisitor {
        void element(byte[] b, int off, int len);
    }

    /**
     * LRANGE's read: elements {@code start} to {@code stop}, both within the list, handed over where they lie in
     * their pages: decoding each page into element arrays only for the reply to copy them was a sixth of
     * LRANGE_100's CPU.
     */
    public void visitRange(long start, long stop, ElementVisitor v) {
        if (start > stop || start >= size) return;
        if (small != null) {
            for (int i = (int) start; i <= stop; i++) {
                byte[] e = small.get(i);
                v.element(e, 0, e.length);
            }
            return;
        }
        long[] at = locate(start);
        long page = at[0], want = stop - start + 1;
        int skip = (int) at[1];
        while (want > 0) {
            if (page == NONE) throw new IllegalStateException("list " + id + " ends before its size");
            byte[] raw = rawPage(page);
            int n = Packed.count(raw, 16), e = Packed.first(raw, 16);
            for (int i = 0; i < n && want > 0; i++, e = Packed.next(raw, e)) {
                if (i < skip) continue;
                v.element(raw, Packed.dataOffset(raw, e), Packed.length(raw, e));
                want--;
            }
            page = Records.getLong(raw, 8);
            skip = 0;
        }
    }

    /** Every element, in order (LREM, LINSERT, LPOS). */
    public List<byte[]> all() {
        if (small != null) return new ArrayList<>(small);
        List<byte[]> out = new ArrayList<>();
        visitRange(0, size - 1, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
        return out;
    }

    /** Replaces the whole content (LREM, LINSERT): O(n), as those commands are in Redis. */
    public void replaceAll(List<byte[]> elements) {
        changed = true;
        if (small == null) releasePages();
        small = new ArrayList<>(elements);
        size = elements.size();
        boolean big = size > PACKED_MAX_ENTRIES;
        for (byte[] e : elements) if (e.length > PACKED_MAX_ELEMENT) big = true;
        if (big) convertToPaged();
    }

    // ---- record ----

    public void commit() {
        if (!changed) return;
        if (size == 0) {
            // Deleting a stored paged list frees its pages; a list that never reached storage frees them here.
            if (existed) db.delete(key);
            else if (small == null) releasePages();
            return;
        }
        byte[] payload;
        if (small != null) {
            Packed.Builder b = new Packed.Builder();
            for (byte[] e : small) b.add(e);
            byte[] run = b.build();
            payload = new byte[run.length + 1];
            payload[0] = PACKED;
            System.arraycopy(run, 0, payload, 1, run.length);
        } else {
            payload = new byte[41];
            payload[0] = PAGED;
            Records.putLong(payload, 1, id);
            Records.putLong(payload, 9, size);
            Records.putLong(payload, 17, head);
            Records.putLong(payload, 25, tail);
            Records.putLong(payload, 33, nextPage);
        }
        db.putCollection(key, Records.encode(KeyType.LIST, expireAt, payload, 0, payload.length, false));
    }

    // ---- pages ----

    private static final class Page {
        long prev, next;
        final List<byte[]> elements;

        Page(long prev, long next, List<byte[]> elements) {
            this.prev = prev;
            this.next = next;
            this.elements = elements;
        }
    }

    private byte[] pageKey(long page) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, page);
        return k;
    }

    private Page readPage(long page) {
        byte[] raw = rawPage(page);
        return new Page(Records.getLong(raw, 0), Records.getLong(raw, 8), decode(raw, 16));
    }

    private void writePage(long page, Page p) {
        Packed.Builder b = new Packed.Builder();
        for (byte[] e : p.elements) b.add(e);
        byte[] run = b.build();
        byte[] raw = new byte[16 + run.length];
        Records.putLong(raw, 0, p.prev);
        Records.putLong(raw, 8, p.next);
        System.arraycopy(run, 0, raw, 16, run.length);
        db.pagesTable().put(pageKey(page), raw);
    }

    /** Removes an emptied page from the chain, linking its neighbours to each other. */
    private void dropPage(long page, long prev, long next) {
        db.pagesTable().remove(pageKey(page));
        if (prev != NONE) putRawPage(prev, relinked(rawPage(prev), 8, next));
        else head = next;
        if (next != NONE) putRawPage(next, relinked(rawPage(next), 0, prev));
        else tail = prev;
    }

    /** {page, offset in page} of an index, walking from the nearer end; reads only page headers and counts. */
    private long[] locate(long index) {
        if (index < size / 2) {
            long page = head, skipped = 0;
            while (true) {
                byte[] raw = rawPage(page);
                int n = Packed.count(raw, 16);
                if (index < skipped + n) return new long[] {page, index - skipped};
                skipped += n;
                page = Records.getLong(raw, 8);
            }
        }
        long page = tail, after = size;
        while (true) {
            byte[] raw = rawPage(page);
            long first = after - Packed.count(raw, 16);
            if (index >= first) return new long[] {page, index - first};
            after = first;
            page = Records.getLong(raw, 0);
        }
    }

    private void putRawPage(long page, byte[] raw) {
        db.pagesTable().put(pageKey(page), raw);
    }

    private byte[] rawPage(long page) {
        return db.pagesTable().get(pageKey(page));
    }

    private void convertToPaged() {
        List<byte[]> elements = small;
        small = null;
        id = db.space().allocateId();
        head = tail = NONE;
        nextPage = 0;
        for (int from = 0; from < elements.size(); from += PAGE_ELEMENTS) {
            long page = nextPage++;
            List<byte[]> chunk = new ArrayList<>(elements.subList(from, Math.min(elements.size(), from + PAGE_ELEMENTS)));
            boolean last = from + PAGE_ELEMENTS >= elements.size();
            writePage(page, new Page(page == 0 ? NONE : page - 1, last ? NONE : page + 1, chunk));
            if (head == NONE) head = page;
            tail = page;
        }
        if (elements.isEmpty()) {
            writePage(0, new Page(NONE, NONE, new ArrayList<>()));
            head = tail = 0;
            nextPage = 1;
        }
    }

    /** Frees every page of the current chain in the background. */
    private void releasePages() {
        db.space().release(db.pagesTable(), id, nextPage);
    }

    static List<byte[]> decode(byte[] b, int off) {
        int n = Packed.count(b, off);
        List<byte[]> out = new ArrayList<>(n);
        int at = Packed.first(b, off);
        for (int i = 0; i < n; i++) {
            out.add(Packed.element(b, at));
            at = Packed.next(b, at);
        }
        return out;
    }
    /** {id, page-number bound} of a paged list record, for freeing and copying. */
    static long[] pagedLayout(byte[] rec) {
        int off = Records.payloadOffset(rec);
        return new long[] {Records.getLong(rec, off + 1), Records.getLong(rec, off + 33)};
    }
}
