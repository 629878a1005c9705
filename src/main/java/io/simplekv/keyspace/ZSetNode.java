package io.simplekv.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes of one {@link ZSetPages} tree node, read and patched in place. A node is
 * {@code [kind][int width]} then a table of fixed-width slots, then the members' bytes in slot order:
 * <ul>
 *   <li>leaf slot: {@code [score][member offset]} (12 bytes);</li>
 *   <li>internal slot: {@code [child node][subtree count][separator score][separator member offset]} (28 bytes).</li>
 * </ul>
 * A member ends where the next one starts (the last at the end of the page). Fixed slots are what make a ZADD
 * cheap on a big zset: the path's counts are patched at known offsets and a node is searched by bisection over
 * its slots, instead of decoding ~100 separators into objects and encoding them again at every level.
 */
final class ZSetNode {
    static final byte LEAF = 0, INTERNAL = 1, FREE = 2;
    private static final int HEADER = 5;
    private static final int LEAF_SLOT = 12, INTERNAL_SLOT = 28;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private ZSetNode() {}

    static boolean isLeaf(byte[] raw) {
        return raw[0] == LEAF;
    }

    static int width(byte[] raw) {
        return (int) INT.get(raw, 1);
    }

    private static int slotSize(byte[] raw) {
        return raw[0] == LEAF ? LEAF_SLOT : INTERNAL_SLOT;
    }

    /** Where slot i's (score, member offset) pair starts. */
    private static int keyAt(byte[] raw, int i) {
        return raw[0] == LEAF ? HEADER + i * LEAF_SLOT : HEADER + i * INTERNAL_SLOT + 16;
    }

    // ---- fields ----

    static long child(byte[] raw, int i) {
        return (long) LONG.get(raw, HEADER + i * INTERNAL_SLOT);
    }

    static long count(byte[] raw, int i) {
        return (long) LONG.get(raw, HEADER + i * INTERNAL_SLOT + 8);
    }

    /** Where child i's subtree count is in an internal node: its 8 bytes are all a count change touches. */
    static int countAt(int i) {
        return HEADER + i * INTERNAL_SLOT + 8;
    }

    /** Changes a child's subtree count in place (on a copy the caller owns). */
    static void addCount(byte[] raw, int i, long delta) {
        int at = countAt(i);
        LONG.set(raw, at, (long) LONG.get(raw, at) + delta);
    }

    static double score(byte[] raw, int i) {
        return Double.longBitsToDouble((long) LONG.get(raw, keyAt(raw, i)));
    }

    static int memberOffset(byte[] raw, int i) {
        return (int) INT.get(raw, keyAt(raw, i) + 8);
    }

    static int memberEnd(byte[] raw, int i) {
        return i + 1 < width(raw) ? memberOffset(raw, i + 1) : raw.length;
    }

    static byte[] member(byte[] raw, int i) {
        return Arrays.copyOfRange(raw, memberOffset(raw, i), memberEnd(raw, i));
    }

    static ZSetTable.Entry entry(byte[] raw, int i) {
        return new ZSetTable.Entry(member(raw, i), score(raw, i));
    }

    // ---- searches ----

    /** Slot i's key against (score, member), in Redis's order. */
    static int compare(byte[] raw, int i, double score, byte[] member) {
        double s = score(raw, i);
        if (s < score) return -1;
        if (s > score) return 1;
        return Arrays.compareUnsigned(raw, memberOffset(raw, i), memberEnd(raw, i), member, 0, member.length);
    }

    /** The first slot at or after {@code from} whose key is not below (score, member): a leaf's insertion point. */
    static int lowerBound(byte[] raw, int from, double score, byte[] member) {
        int lo = from, hi = width(raw);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(raw, mid, score, member) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The child whose key range holds (score, member): the last whose lower bound is not above it. */
    static int childFor(byte[] raw, double score, byte[] member) {
        int lo = 1, hi = width(raw);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(raw, mid, score, member) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }

    /** The first slot at or after {@code from} whose key fails {@code below} (which holds on a prefix). */
    static int firstNotBelow(byte[] raw, int from, ZSetOrder.Below below) {
        int lo = from, hi = width(raw);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int mo = memberOffset(raw, mid);
            if (below.test(score(raw, mid), raw, mo, memberEnd(raw, mid) - mo)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // ---- edits: each returns a new page ----

    /** The page with a slot inserted at i; child and count are ignored in a leaf. */
    static byte[] insert(byte[] raw, int i, long child, long count, double score, byte[] member) {
        int n = width(raw), w = slotSize(raw), len = member.length;
        int tableEnd = HEADER + n * w;
        int at = i < n ? memberOffset(raw, i) : raw.length;
        byte[] out = new byte[raw.length + w + len];
        System.arraycopy(raw, 0, out, 0, HEADER + i * w);
        System.arraycopy(raw, HEADER + i * w, out, HEADER + (i + 1) * w, (n - i) * w);
        System.arraycopy(raw, tableEnd, out, tableEnd + w, at - tableEnd);
        System.arraycopy(member, 0, out, at + w, len);
        System.arraycopy(raw, at, out, at + w + len, raw.length - at);
        INT.set(out, 1, n + 1);
        int slot = HEADER + i * w;
        if (w == INTERNAL_SLOT) {
            LONG.set(out, slot, child);
            LONG.set(out, slot + 8, count);
        }
        LONG.set(out, keyAt(out, i), Double.doubleToRawLongBits(score));
        for (int j = 0; j <= n; j++) {
            int k = keyAt(out, j) + 8;
            if (j < i) INT.set(out, k, (int) INT.get(out, k) + w);
            else if (j == i) INT.set(out, k, at + w);
            else INT.set(out, k, (int) INT.get(out, k) + w + len);
        }
        return out;
    }

    /** The page without slot i. */
    static byte[] remove(byte[] raw, int i) {
        int n = width(raw), w = slotSize(raw);
        int at = memberOffset(raw, i), len = memberEnd(raw, i) - at;
        int tableEnd = HEADER + n * w;
        byte[] out = new byte[raw.length - w - len];
        System.arraycopy(raw, 0, out, 0, HEADER + i * w);
        System.arraycopy(raw, HEADER + (i + 1) * w, out, HEADER + i * w, (n - i - 1) * w);
        System.arraycopy(raw, tableEnd, out, tableEnd - w, at - tableEnd);
        System.arraycopy(raw, at + len, out, at - w, raw.length - at - len);
        INT.set(out, 1, n - 1);
        for (int j = 0; j < n - 1; j++) {
            int k = keyAt(out, j) + 8;
            INT.set(out, k, (int) INT.get(out, k) - (j < i ? w : w + len));
        }
        return out;
    }

    /** A whole page from its slots; children and counts are null for a leaf. */
    static byte[] encode(boolean leaf, int n, long[] children, long[] counts, double[] scores, byte[][] members) {
        int w = leaf ? LEAF_SLOT : INTERNAL_SLOT;
        int size = HEADER + n * w;
        for (int i = 0; i < n; i++) size += members[i].length;
        byte[] out = new byte[size];
        out[0] = leaf ? LEAF : INTERNAL;
        INT.set(out, 1, n);
        int at = HEADER + n * w;
        for (int i = 0; i < n; i++) {
            int slot = HEADER + i * w;
            if (!leaf) {
                LONG.set(out, slot, children[i]);
                LONG.set(out, slot + 8, counts[i]);
                slot += 16;
            }
            LONG.set(out, slot, Double.doubleToRawLongBits(scores[i]));
            INT.set(out, slot + 8, at);
            System.arraycopy(members[i], 0, out, at, members[i].length);
            at += members[i].length;
        }
        return out;
    }
}
