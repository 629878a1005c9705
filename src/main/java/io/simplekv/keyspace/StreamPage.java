package io.simplekv.keyspace;

import java.util.Arrays;

/**
 * The bytes of one stream page, a record of the pages table holding a run of entries in ID order: Redis's listpack
 * node of the stream's radix tree.
 *
 * <pre>
 * [kind 1: NODE | STUB][live 4][deleted 4][end 4][listpack bytes 4][first id 16][last id 16][master field count 4]
 * [master fields: len 4, bytes]...
 * entries: [flags 1][ms 8][seq 8][field count 4] then, unless SAME_FIELDS, [len 4][field][len 4][value] per pair,
 *          or with SAME_FIELDS (the master fields, as Redis compresses them) [len 4][value] per field
 * [room: zeros up to the array's end]
 * </pre>
 *
 * As in Redis, a deleted entry stays in its page with the DELETED flag until the whole page goes, and the first
 * entry's fields become the page's master fields. The first id is the first entry's (Redis's master id), the last
 * id the last entry's, deleted or not, so the page's range orders it among its neighbours. A STUB is a page Redis
 * would have removed (XDEL took its last live entry) in the middle of the stream: it keeps only its header, so the
 * page numbers stay dense and a binary search over them still works; the stream drops stubs at either end.
 *
 * <p>The last page of a stream keeps room after its entries (end is where they stop; 0 means at the array's end,
 * which is also how pages written before the room existed read, since end was the high half of a long listpack
 * size): XADD writes the entry into the room and the header in place, so an append costs the entry, not a copy of
 * the page. When the room runs out the page is copied once into an array twice its size; a page the stream moves
 * on from is cut to its end ({@link #sealed}). Only the array's owner appends in place: the engine's stored array
 * under the key's lock (the memory engine), or a command's own copy (an engine whose reads are copies).
 */
final class StreamPage {
    static final byte NODE = 0, STUB = 1;
    static final int DELETED = 1, SAME_FIELDS = 2;
    private static final int LIVE = 1, DEAD = 5, END = 9, LP_BYTES = 13, FIRST = 17, LAST = 33, MASTER_COUNT = 49;
    static final int HEADER = 53;

    private StreamPage() {}

    static boolean isStub(byte[] p) {
        return p[0] == STUB;
    }

    static int live(byte[] p) {
        return Records.getInt(p, LIVE);
    }

    static int deleted(byte[] p) {
        return Records.getInt(p, DEAD);
    }

    static long listpackBytes(byte[] p) {
        return Records.getInt(p, LP_BYTES) & 0xffffffffL;
    }

    /** Where the page's entries stop: the start of its room, or the array's end. */
    static int end(byte[] p) {
        int end = Records.getInt(p, END);
        return end == 0 ? p.length : end;
    }

    private static void setEnd(byte[] p, int end) {
        Records.putInt(p, END, end == p.length ? 0 : end);
    }

    private static void setListpackBytes(byte[] p, long lp) {
        // A listpack is at most 4 GB (its header's size field is 32 bits), and a page is an array, smaller still.
        Records.putInt(p, LP_BYTES, (int) Math.min(lp, 0xffffffffL));
    }

    static StreamId firstId(byte[] p) {
        return StreamId.read(p, FIRST);
    }

    static StreamId lastId(byte[] p) {
        return StreamId.read(p, LAST);
    }

    /** Whether Redis would start a new node rather than append an entry of {@code fieldBytes} to this one. */
    static boolean full(byte[] p, long fieldBytes, StreamLimits limits) {
        if (listpackBytes(p) + fieldBytes >= limits.effectiveMaxBytes()) return true;
        return limits.maxEntries() != 0 && (long) live(p) + deleted(p) >= limits.maxEntries();
    }

    /**
     * A page holding one entry, whose fields become the master fields, with room for three more like it.
     * {@code fv} is field, value, field, value...
     */
    static byte[] create(StreamId id, byte[][] fv, int from, int to) {
        int pairs = (to - from) / 2;
        int masters = 0;
        for (int i = from; i < to; i += 2) masters += 4 + fv[i].length;
        int entry = entrySize(fv, from, to, true);
        Writer w = new Writer(new byte[HEADER + masters + 4 * entry], HEADER);
        long lp = ListpackSize.EMPTY + ListpackSize.ofInteger(1) + ListpackSize.ofInteger(0) + ListpackSize.ofInteger(pairs);
        for (int i = from; i < to; i += 2) {
            w.bytes(fv[i]);
            lp += ListpackSize.ofString(fv[i]);
        }
        lp += ListpackSize.ofInteger(0);
        lp += entry(w, id, id, fv, from, to, true);
        byte[] p = w.buf;
        p[0] = NODE;
        Records.putInt(p, LIVE, 1);
        Records.putInt(p, DEAD, 0);
        setEnd(p, w.pos);
        setListpackBytes(p, lp);
        StreamId.write(p, FIRST, id);
        StreamId.write(p, LAST, id);
        Records.putInt(p, MASTER_COUNT, pairs);
        return p;
    }

    /**
     * The page with one more entry at its end: {@code p} itself, the entry written into its room, or a copy twice
     * the size when the room is short.
     */
    static byte[] append(byte[] p, StreamId id, byte[][] fv, int from, int to) {
        boolean same = sameFields(p, fv, from, to);
        int end = end(p), size = entrySize(fv, from, to, same);
        byte[] out = p;
        if (p.length - end < size) {
            out = new byte[end + size + Math.max(end, size)];
            System.arraycopy(p, 0, out, 0, end);
        }
        Writer w = new Writer(out, end);
        int live = live(p);
        long lp = listpackBytes(p) + ListpackSize.ofInteger(live + 1) - ListpackSize.ofInteger(live);
        lp += entry(w, id, firstId(p), fv, from, to, same);
        Records.putInt(out, LIVE, live + 1);
        setEnd(out, w.pos);
        setListpackBytes(out, lp);
        StreamId.write(out, LAST, id);
        return out;
    }

    /** The page without its room: a page the stream has moved on from gets no more entries. */
    static byte[] sealed(byte[] p) {
        int end = end(p);
        if (end == p.length) return p;
        byte[] out = Arrays.copyOf(p, end);
        setEnd(out, end);
        return out;
    }

    /** The bytes {@link #entry} writes. */
    private static int entrySize(byte[][] fv, int from, int to, boolean same) {
        int size = 1 + 8 + 8 + 4;
        for (int i = from; i < to; i += 2) {
            if (!same) size += 4 + fv[i].length;
            size += 4 + fv[i + 1].length;
        }
        return size;
    }

    /** Writes one entry; returns the listpack bytes Redis spends on it. */
    private static long entry(Writer w, StreamId id, StreamId master, byte[][] fv, int from, int to, boolean same) {
        int pairs = (to - from) / 2;
        w.buf[w.pos++] = (byte) (same ? SAME_FIELDS : 0);
        w.longValue(id.ms());
        w.longValue(id.seq());
        w.intValue(pairs);
        long lp = ListpackSize.ofInteger(same ? SAME_FIELDS : 0) + ListpackSize.ofInteger(id.ms() - master.ms())
                + ListpackSize.ofInteger(id.seq() - master.seq());
        if (!same) lp += ListpackSize.ofInteger(pairs);
        for (int i = from; i < to; i += 2) {
            if (!same) {
                w.bytes(fv[i]);
                lp += ListpackSize.ofString(fv[i]);
            }
            w.bytes(fv[i + 1]);
            lp += ListpackSize.ofString(fv[i + 1]);
        }
        return lp + ListpackSize.ofInteger(same ? pairs + 3 : 2L * pairs + 4);
    }

    private static boolean sameFields(byte[] p, byte[][] fv, int from, int to) {
        int n = Records.getInt(p, MASTER_COUNT);
        if (n != (to - from) / 2) return false;
        int at = HEADER;
        for (int i = 0; i < n; i++) {
            int len = Records.getInt(p, at);
            byte[] f = fv[from + 2 * i];
            if (f.length != len || !Arrays.equals(p, at + 4, at + 4 + len, f, 0, len)) return false;
            at += 4 + len;
        }
        return true;
    }

    // ---- entries ----

    /** Where the first entry starts, or -1 past the end (a stub has none). */
    static int firstEntry(byte[] p) {
        if (isStub(p)) return -1;
        int at = HEADER;
        for (int i = 0, n = Records.getInt(p, MASTER_COUNT); i < n; i++) at += 4 + Records.getInt(p, at);
        return at < end(p) ? at : -1;
    }

    /** Where the entry after the one at {@code at} starts, or -1. */
    static int nextEntry(byte[] p, int at) {
        int pairs = Records.getInt(p, at + 17);
        boolean same = (p[at] & SAME_FIELDS) != 0;
        int pos = at + 21;
        for (int i = 0; i < (same ? pairs : 2 * pairs); i++) pos += 4 + Records.getInt(p, pos);
        return pos < end(p) ? pos : -1;
    }

    /** Every entry's start, in order, for walking a page backwards. */
    static int[] entryOffsets(byte[] p) {
        int[] out = new int[live(p) + deleted(p)];
        int n = 0;
        for (int at = firstEntry(p); at >= 0; at = nextEntry(p, at)) out[n++] = at;
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    static boolean isDeleted(byte[] p, int at) {
        return (p[at] & DELETED) != 0;
    }

    static StreamId idAt(byte[] p, int at) {
        return new StreamId(Records.getLong(p, at + 1), Records.getLong(p, at + 9));
    }

    /** The entry at {@code at}: its fields and values, alternating. */
    static byte[][] fieldsAt(byte[] p, int at) {
        int pairs = Records.getInt(p, at + 17);
        boolean same = (p[at] & SAME_FIELDS) != 0;
        byte[][] fv = new byte[2 * pairs][];
        int pos = at + 21, master = HEADER;
        for (int i = 0; i < pairs; i++) {
            if (same) {
                int len = Records.getInt(p, master);
                fv[2 * i] = Arrays.copyOfRange(p, master + 4, master + 4 + len);
                master += 4 + len;
            } else {
                int len = Records.getInt(p, pos);
                fv[2 * i] = Arrays.copyOfRange(p, pos + 4, pos + 4 + len);
                pos += 4 + len;
            }
            int len = Records.getInt(p, pos);
            fv[2 * i + 1] = Arrays.copyOfRange(p, pos + 4, pos + 4 + len);
            pos += 4 + len;
        }
        return fv;
    }

    /** The page with the entry at {@code at} flagged deleted (it must be live), as Redis's streamIteratorRemoveEntry. */
    static byte[] markDeleted(byte[] p, int at) {
        byte[] out = p.clone();
        out[at] |= DELETED; // 0 → 1 and 2 → 3: a one-byte listpack integer either way
        int live = live(p), dead = deleted(p);
        long lp = listpackBytes(p) + ListpackSize.ofInteger(live - 1) - ListpackSize.ofInteger(live)
                + ListpackSize.ofInteger(dead + 1) - ListpackSize.ofInteger(dead);
        Records.putInt(out, LIVE, live - 1);
        Records.putInt(out, DEAD, dead + 1);
        setListpackBytes(out, lp);
        return out;
    }

    /** What stays of a page Redis would have removed in the middle of the stream: its range, no entries. */
    static byte[] stub(byte[] p) {
        byte[] out = new byte[HEADER];
        System.arraycopy(p, 0, out, 0, HEADER);
        out[0] = STUB;
        Records.putInt(out, LIVE, 0);
        Records.putInt(out, DEAD, 0);
        Records.putInt(out, END, 0);
        Records.putInt(out, LP_BYTES, 0);
        Records.putInt(out, MASTER_COUNT, 0);
        return out;
    }

    /** Writes entries into a page's array, which the caller sized to hold them. */
    private static final class Writer {
        final byte[] buf;
        int pos;

        Writer(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        void longValue(long v) {
            Records.putLong(buf, pos, v);
            pos += 8;
        }

        void intValue(int v) {
            Records.putInt(buf, pos, v);
            pos += 4;
        }

        void bytes(byte[] b) {
            intValue(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }
    }
}
