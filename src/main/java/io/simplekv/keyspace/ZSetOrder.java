package io.simplekv.keyspace;

import java.util.Arrays;

/** Redis's sorted-set order (score, then member bytes unsigned) and the score's 8-byte stored form. */
final class ZSetOrder {
    private ZSetOrder() {}

    /** A test that holds for a prefix of the order and fails for the rest, so counting it is a binary search. */
    interface Below {
        /** Whether the entry (score, member bytes buf[off, off + len)) is in the prefix. */
        boolean test(double score, byte[] buf, int off, int len);
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    static int compare(ZSetTable.Entry a, ZSetTable.Entry b) {
        return compare(a.score(), a.member(), b.score(), b.member());
    }

    /** Entries ordered before (score, member): how many there are is the member's rank. */
    static Below before(double score, byte[] member) {
        return (s, b, off, len) -> s < score
                || s == score && Arrays.compareUnsigned(b, off, off + len, member, 0, member.length) < 0;
    }

    static Below scoreBelow(double score, boolean inclusive) {
        return inclusive ? (s, b, off, len) -> s <= score : (s, b, off, len) -> s < score;
    }

    static Below memberBelow(byte[] member, boolean inclusive) {
        return inclusive ? (s, b, off, len) -> Arrays.compareUnsigned(b, off, off + len, member, 0, member.length) <= 0
                : (s, b, off, len) -> Arrays.compareUnsigned(b, off, off + len, member, 0, member.length) < 0;
    }

    static byte[] scoreBytes(double score) {
        return Records.longBytes(Double.doubleToRawLongBits(score));
    }

    static double score(byte[] b, int off) {
        return Double.longBitsToDouble(Records.getLong(b, off));
    }
}
