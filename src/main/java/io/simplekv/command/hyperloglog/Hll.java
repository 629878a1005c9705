package io.simplekv.command.hyperloglog;

/**
 * A HyperLogLog in Redis's exact byte format (hyperloglog.c), so the strings move between simplekv and redis-server
 * unchanged: a 16-byte header ("HYLL", encoding, 3 unused bytes, the cached cardinality little endian with its
 * top bit as "stale"), then 16384 6-bit registers, either dense (12288 bytes) or sparse (ZERO, XZERO and VAL
 * opcodes). Mutable: {@link #bytes()} is the current string; an operation that grows or converts it replaces it.
 */
final class Hll {
    static final int P = 14, Q = 64 - P, REGISTERS = 1 << P, BITS = 6, REGISTER_MAX = (1 << BITS) - 1;
    static final int HDR = 16, DENSE_SIZE = HDR + (REGISTERS * BITS + 7) / 8;
    static final int DENSE = 0, SPARSE = 1;
    private static final int VAL_MAX_VALUE = 32, VAL_MAX_LEN = 4, ZERO_MAX_LEN = 64, XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** Thrown for a string that claims to be an HLL but whose registers can't be read (Redis's INVALIDOBJ). */
    static final class Corrupt extends RuntimeException {
        Corrupt() {
            super(null, null, false, false);
        }
    }

    private byte[] b;
    private int len;

    private Hll(byte[] b, int len) {
        this.b = b;
        this.len = len;
    }

    /** createHLLObject: sparse, every register zero (one XZERO of 16384). */
    static Hll empty() {
        byte[] s = new byte[HDR + 2];
        s[0] = 'H';
        s[1] = 'Y';
        s[2] = 'L';
        s[3] = 'L';
        s[4] = SPARSE;
        int l = XZERO_MAX_LEN - 1;
        s[HDR] = (byte) ((l >> 8) | 0x40);
        s[HDR + 1] = (byte) (l & 0xff);
        return new Hll(s, s.length);
    }

    /**
     * isHLLObjectOrReply's checks: magic, a known encoding, and a dense one's exact size; null if not an HLL. The
     * HLL takes {@code value} over (callers pass a fresh copy of the stored payload) and changes it in place.
     */
    static Hll of(byte[] value) {
        if (value.length < HDR) return null;
        if (value[0] != 'H' || value[1] != 'Y' || value[2] != 'L' || value[3] != 'L') return null;
        int enc = value[4] & 0xff;
        if (enc > SPARSE) return null;
        if (enc == DENSE && value.length != DENSE_SIZE) return null;
        return new Hll(value, value.length);
    }

    byte[] bytes() {
        return len == b.length ? b : java.util.Arrays.copyOf(b, len);
    }

    int encoding() {
        return b[4];
    }

    // ---- the cached cardinality ----

    boolean cacheValid() {
        return (b[15] & 0x80) == 0;
    }

    void invalidateCache() {
        b[15] |= (byte) 0x80;
    }

    long cachedCard() {
        long card = 0;
        for (int i = 7; i >= 0; i--) card = (card << 8) | (b[8 + i] & 0xff);
        return card;
    }

    void cacheCard(long card) {
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (card >>> (8 * i));
    }

    // ---- adding ----

    /** hllAdd: 1 when a register grew, 0 when not; Corrupt for a sparse string that does not add up. */
    int add(byte[] element) {
        long hash = murmur64a(element, 0xadc83b19L);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        long bit = 1;
        int count = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        return set(index, count);
    }

    /** hllDenseSet / hllSparseSet: raise register {@code index} to {@code count}. */
    int set(int index, int count) {
        return encoding() == DENSE ? denseSet(b, HDR, index, count) : sparseSet(index, count);
    }

    static int denseGet(byte[] p, int base, int reg) {
        int bytePos = base + reg * BITS / 8, fb = reg * BITS & 7, fb8 = 8 - fb;
        int b0 = p[bytePos] & 0xff, b1 = bytePos + 1 < p.length ? p[bytePos + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << fb8)) & REGISTER_MAX;
    }

    private static void denseSetRegister(byte[] p, int base, int reg, int val) {
        int bytePos = base + reg * BITS / 8, fb = reg * BITS & 7, fb8 = 8 - fb;
        p[bytePos] &= (byte) ~(REGISTER_MAX << fb);
        p[bytePos] |= (byte) (val << fb);
        if (bytePos + 1 < p.length) {
            p[bytePos + 1] &= (byte) ~(REGISTER_MAX >>> fb8);
            p[bytePos + 1] |= (byte) (val >>> fb8);
        }
    }

    private static int denseSet(byte[] p, int base, int index, int count) {
        if (count > denseGet(p, base, index)) {
            denseSetRegister(p, base, index, count);
            return 1;
        }
        return 0;
    }

    // sparse opcodes
    private static boolean isZero(int op) { return (op & 0xc0) == 0; }
    private static boolean isXZero(int op) { return (op & 0xc0) == 0x40; }
    private static int zeroLen(int op) { return (op & 0x3f) + 1; }
    private static int xzeroLen(int op, int next) { return (((op & 0x3f) << 8) | next) + 1; }
    private static int valValue(int op) { return ((op >> 2) & 0x1f) + 1; }
    private static int valLen(int op) { return (op & 0x3) + 1; }
    private static byte val(int value, int l) { return (byte) (((value - 1) << 2 | (l - 1)) | 0x80); }

    private int op(int at) {
        return b[at] & 0xff;
    }

    /** hllSparseSet, opcode for opcode, promoting to dense past hll-sparse-max-bytes or a value over 32. */
    private int sparseSet(int index, int count) {
        if (count > VAL_MAX_VALUE) return promoteAndSet(index, count);
        ensureRoom(3);
        int p = HDR, end = len, first = 0, prev = -1, span = 0;
        while (p < end) {
            int oplen = 1, o = op(p);
            if (isZero(o)) {
                span = zeroLen(o);
            } else if ((o & 0x80) != 0) {
                span = valLen(o);
            } else {
                span = xzeroLen(o, op(p + 1));
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
            if (first > REGISTERS) throw new Corrupt(); // a corrupt string: its runs must not wrap past 2^31
        }
        if (span == 0 || p >= end) throw new Corrupt();
        int o = op(p);
        int next = isXZero(o) ? p + 2 : p + 1;
        if (next >= end) next = -1;
        boolean zero = isZero(o), xzero = isXZero(o), isVal = !zero && !xzero;
        int runlen = zero ? zeroLen(o) : xzero ? xzeroLen(o, op(p + 1)) : valLen(o);
        if (isVal) {
            if (valValue(o) >= count) return 0;
            if (runlen == 1) {
                b[p] = val(count, 1);
                return updated(prev, end);
            }
        }
        if (zero && runlen == 1) {
            b[p] = val(count, 1);
            return updated(prev, end);
        }
        byte[] seq = new byte[5];
        int n = 0, last = first + span - 1;
        if (zero || xzero) {
            if (index != first) n = putZeros(seq, n, index - first);
            seq[n++] = val(count, 1);
            if (index != last) n = putZeros(seq, n, last - index);
        } else {
            int curval = valValue(o);
            if (index != first) seq[n++] = val(curval, index - first);
            seq[n++] = val(count, 1);
            if (index != last) seq[n++] = val(curval, last - index);
        }
        int oldlen = xzero ? 2 : 1, delta = n - oldlen;
        if (delta > 0 && len + delta > maxSparseBytes) return promoteAndSet(index, count);
        if (delta != 0 && next >= 0) System.arraycopy(b, next, b, next + delta, end - next);
        len += delta;
        System.arraycopy(seq, 0, b, p, n);
        end += delta;
        return updated(prev, end);
    }

    private static int putZeros(byte[] seq, int n, int l) {
        if (l > ZERO_MAX_LEN) {
            seq[n] = (byte) (((l - 1) >> 8) | 0x40);
            seq[n + 1] = (byte) ((l - 1) & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (l - 1);
        return n + 1;
    }

    /** After a sparse change: adjacent VAL opcodes of one value are merged, scanning 5 opcodes from prev. */
    private int updated(int prev, int end) {
        int p = prev >= 0 ? prev : HDR, scan = 5;
        while (p < end && scan-- > 0) {
            int o = op(p);
            if (isXZero(o)) {
                p += 2;
                continue;
            } else if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < end && (op(p + 1) & 0x80) != 0) {
                int v1 = valValue(o), v2 = valValue(op(p + 1));
                if (v1 == v2) {
                    int l = valLen(o) + valLen(op(p + 1));
                    if (l <= VAL_MAX_LEN) {
                        b[p + 1] = val(v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promoteAndSet(int index, int count) {
        toDense();
        return denseSet(b, HDR, index, count);
    }

    private void ensureRoom(int extra) {
        if (b.length < len + extra) b = java.util.Arrays.copyOf(b, Math.max(len + extra, b.length * 2));
    }

    /** The hll-sparse-max-bytes in force for this operation. */
    private long maxSparseBytes = 3000;

    Hll maxSparseBytes(long max) {
        this.maxSparseBytes = max;
        return this;
    }

    /** hllSparseToDense: false when already dense; Corrupt when the opcodes don't cover 16384 registers. */
    boolean toDense() {
        if (encoding() == DENSE) return false;
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, dense, 0, HDR); // the magic and the cached cardinality
        dense[4] = DENSE;
        int idx = 0, p = HDR;
        while (p < len) {
            int o = op(p);
            // Stop as soon as the runs pass the registers (Redis 7.0.15's fix): a corrupt string's runs must not
            // wrap the count past 2^31 and back into range.
            int runlen = isZero(o) ? zeroLen(o) : isXZero(o) ? xzeroLen(o, p + 1 < len ? op(p + 1) : 0) : valLen(o);
            if (isZero(o) || isXZero(o)) {
                idx += runlen;
                p += isXZero(o) ? 2 : 1;
                if (idx > REGISTERS) break;
            } else {
                if (runlen + idx > REGISTERS) break;
                int regval = valValue(o);
                while (runlen-- > 0) denseSetRegister(dense, HDR, idx++, regval);
                p++;
            }
        }
        if (idx != REGISTERS) throw new Corrupt();
        b = dense;
        len = dense.length;
        return true;
    }

    // ---- reading ----

    /** hllMerge: each register's maximum into {@code max}. */
    void mergeInto(byte[] max) {
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, HDR, i);
                if (v > (max[i] & 0xff)) max[i] = (byte) v;
            }
            return;
        }
        int i = 0, p = HDR;
        while (p < len) {
            int o = op(p);
            int runlen = isZero(o) ? zeroLen(o) : isXZero(o) ? xzeroLen(o, p + 1 < len ? op(p + 1) : 0) : valLen(o);
            if (isZero(o) || isXZero(o)) {
                i += runlen;
                p += isXZero(o) ? 2 : 1;
                if (i > REGISTERS) break;
            } else {
                if (runlen + i > REGISTERS) break;
                int regval = valValue(o);
                while (runlen-- > 0) {
                    if (regval > (max[i] & 0xff)) max[i] = (byte) regval;
                    i++;
                }
                p++;
            }
        }
        if (i != REGISTERS) throw new Corrupt();
    }

    /** hllCount over this HLL's registers. */
    long count() {
        int[] histo = new int[64];
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) histo[denseGet(b, HDR, i)]++;
        } else {
            int idx = 0, p = HDR;
            while (p < len) {
                int o = op(p);
                int runlen = isZero(o) ? zeroLen(o) : isXZero(o) ? xzeroLen(o, p + 1 < len ? op(p + 1) : 0) : valLen(o);
                idx += runlen;
                if (idx > REGISTERS) break; // corrupt: reported below, before the count can wrap
                histo[isZero(o) || isXZero(o) ? 0 : valValue(o)] += runlen;
                p += isXZero(o) ? 2 : 1;
            }
            if (idx != REGISTERS) throw new Corrupt();
        }
        return estimate(histo);
    }

    /** hllCount over raw registers, one byte each (PFCOUNT of several keys). */
    static long countRaw(byte[] registers) {
        int[] histo = new int[64];
        for (byte r : registers) histo[r & 0xff]++;
        return estimate(histo);
    }

    /** Ertl's improved estimator, as Redis computes it. */
    private static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) return Double.POSITIVE_INFINITY;
        double zPrime, y = 1, z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) return 0.;
        double zPrime, y = 1.0, z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (zPrime != z);
        return z / 3;
    }

    /** PFDEBUG DECODE's text of the sparse opcodes. */
    String decode() {
        StringBuilder s = new StringBuilder();
        int p = HDR;
        while (p < len) {
            int o = op(p);
            if (isZero(o)) {
                s.append("z:").append(zeroLen(o)).append(' ');
                p++;
            } else if (isXZero(o)) {
                s.append("Z:").append(xzeroLen(o, p + 1 < len ? op(p + 1) : 0)).append(' ');
                p += 2;
            } else {
                s.append("v:").append(valValue(o)).append(',').append(valLen(o)).append(' ');
                p++;
            }
        }
        return s.toString().trim();
    }

    /** The dense registers (after {@link #toDense}). */
    int register(int i) {
        return denseGet(b, HDR, i);
    }

    /** MurmurHash2, 64-bit, endian neutral as Redis modified it. */
    static long murmur64a(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int length = key.length;
        long h = (seed & 0xffffffffL) ^ (length * m);
        int end = length - (length & 7), i = 0;
        while (i != end) {
            long k = 0;
            for (int j = 7; j >= 0; j--) k = (k << 8) | (key[i + j] & 0xff);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
            i += 8;
        }
        switch (length & 7) {
            case 7: h ^= (long) (key[i + 6] & 0xff) << 48; // fall through
            case 6: h ^= (long) (key[i + 5] & 0xff) << 40; // fall through
            case 5: h ^= (long) (key[i + 4] & 0xff) << 32; // fall through
            case 4: h ^= (long) (key[i + 3] & 0xff) << 24; // fall through
            case 3: h ^= (long) (key[i + 2] & 0xff) << 16; // fall through
            case 2: h ^= (long) (key[i + 1] & 0xff) << 8; // fall through
            case 1:
                h ^= key[i] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }
}
