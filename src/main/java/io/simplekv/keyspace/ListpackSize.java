package io.simplekv.keyspace;

/**
 * The bytes Redis's listpack (listpack.c) spends on an element, so a stream page fills up exactly when Redis's node
 * would (stream-node-max-bytes), and XTRIM ~, XINFO and every count that depends on where nodes split agree with
 * Redis. An element is its encoding and data, then a backlen of that size; a string that reads as a canonical
 * 64-bit integer is stored as that integer.
 */
final class ListpackSize {
    private ListpackSize() {}

    /** A new listpack's header and end byte. */
    static final int EMPTY = 6 + 1;

    static int ofInteger(long v) {
        int enc;
        if (v >= 0 && v <= 127) enc = 1;
        else if (v >= -4096 && v <= 4095) enc = 2;
        else if (v >= -32768 && v <= 32767) enc = 3;
        else if (v >= -8388608 && v <= 8388607) enc = 4;
        else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) enc = 5;
        else enc = 9;
        return enc + backlen(enc);
    }

    static long ofString(byte[] s) {
        long[] v = new long[1];
        if (toInt64(s, v)) return ofInteger(v[0]);
        long enc = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + (long) s.length;
        return enc + backlen(enc);
    }

    private static int backlen(long l) {
        if (l <= 127) return 1;
        if (l < 16383) return 2;
        if (l < 2097151) return 3;
        if (l < 268435455) return 4;
        return 5;
    }

    /** lpStringToInt64: the canonical decimal form of an int64 only (no sign but '-', no leading zero). */
    private static boolean toInt64(byte[] s, long[] out) {
        int n = s.length;
        if (n == 0 || n >= 21) return false;
        if (n == 1 && s[0] == '0') {
            out[0] = 0;
            return true;
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative && ++i == n) return false;
        if (s[i] < '1' || s[i] > '9') return false;
        long v = 0; // accumulated as unsigned, as lpStringToInt64 does
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9') return false;
            int d = s[i] - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return false;
            v *= 10;
            if (Long.compareUnsigned(v, -1L - d) > 0) return false;
            v += d;
        }
        if (negative) {
            if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) return false;
            out[0] = -v;
        } else {
            if (v < 0) return false;
            out[0] = v;
        }
        return true;
    }
}
