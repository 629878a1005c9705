package io.simplekv.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The elements of Redis's compact blobs as a DUMP carries them: listpacks (7.0), ziplists (older payloads) and
 * intsets. Integers come back as their decimal text, as Redis returns them to clients. Every length is checked
 * against the blob, so a corrupt one fails with {@link IllegalArgumentException} rather than reading past it.
 */
final class PackedEntries {
    private PackedEntries() {}

    /** listpack.c: total bytes (4), count (2), entries each followed by its back-length, 0xFF. */
    static List<byte[]> listpack(byte[] lp) {
        if (lp.length < 7 || le(lp, 0, 4) != lp.length || (lp[lp.length - 1] & 0xff) != 0xff) throw bad();
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        while (true) {
            check(lp, p, 1);
            int b = lp[p] & 0xff;
            if (b == 0xff) break;
            int start = p;
            byte[] value;
            if ((b & 0x80) == 0) {
                value = text(b);
                p += 1;
            } else if ((b & 0xc0) == 0x80) {
                int len = b & 0x3f;
                value = slice(lp, p + 1, len);
                p += 1 + len;
            } else if ((b & 0xe0) == 0xc0) {
                check(lp, p, 2);
                int v = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                value = text(v >= 1 << 12 ? v - (1 << 13) : v);
                p += 2;
            } else if ((b & 0xf0) == 0xe0) {
                check(lp, p, 2);
                int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                value = slice(lp, p + 2, len);
                p += 2 + len;
            } else if (b == 0xf0) {
                check(lp, p, 5);
                long len = le(lp, p + 1, 4);
                if (len > lp.length) throw bad();
                value = slice(lp, p + 5, (int) len);
                p += 5 + (int) len;
            } else if (b >= 0xf1 && b <= 0xf4) {
                int bytes = switch (b) { case 0xf1 -> 2; case 0xf2 -> 3; case 0xf3 -> 4; default -> 8; };
                check(lp, p, 1 + bytes);
                value = text(signed(le(lp, p + 1, bytes), bytes));
                p += 1 + bytes;
            } else {
                throw bad();
            }
            p += backlenSize(p - start);
            out.add(value);
        }
        if (p != lp.length - 1) throw bad();
        int count = (int) le(lp, 4, 2);
        if (count != 0xffff && count != out.size()) throw bad();
        return out;
    }

    private static int backlenSize(int entryLength) {
        if (entryLength <= 127) return 1;
        if (entryLength < 16383) return 2;
        if (entryLength < 2097151) return 3;
        if (entryLength < 268435455) return 4;
        return 5;
    }

    /** ziplist.c: total bytes (4), tail offset (4), count (2), entries (previous length, encoding, data), 0xFF. */
    static List<byte[]> ziplist(byte[] zl) {
        if (zl.length < 11 || le(zl, 0, 4) != zl.length || (zl[zl.length - 1] & 0xff) != 0xff) throw bad();
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        while (true) {
            check(zl, p, 1);
            if ((zl[p] & 0xff) == 0xff) break;
            p += (zl[p] & 0xff) < 254 ? 1 : 5;
            check(zl, p, 1);
            int b = zl[p] & 0xff;
            switch (b >> 6) {
                case 0 -> {
                    out.add(slice(zl, p + 1, b & 0x3f));
                    p += 1 + (b & 0x3f);
                }
                case 1 -> {
                    check(zl, p, 2);
                    int len = ((b & 0x3f) << 8) | (zl[p + 1] & 0xff);
                    out.add(slice(zl, p + 2, len));
                    p += 2 + len;
                }
                case 2 -> {
                    check(zl, p, 5);
                    long len = ((long) (zl[p + 1] & 0xff) << 24) | ((zl[p + 2] & 0xff) << 16)
                            | ((zl[p + 3] & 0xff) << 8) | (zl[p + 4] & 0xff);
                    if (len > zl.length) throw bad();
                    out.add(slice(zl, p + 5, (int) len));
                    p += 5 + (int) len;
                }
                default -> {
                    int bytes = switch (b) {
                        case 0xc0 -> 2; case 0xd0 -> 4; case 0xe0 -> 8; case 0xf0 -> 3; case 0xfe -> 1; default -> 0;
                    };
                    if (bytes == 0) {
                        if (b < 0xf1 || b > 0xfd) throw bad();
                        out.add(text(b - 0xf1)); // an immediate 0..12 in the encoding byte itself
                        p += 1;
                    } else {
                        check(zl, p, 1 + bytes);
                        out.add(text(signed(le(zl, p + 1, bytes), bytes)));
                        p += 1 + bytes;
                    }
                }
            }
        }
        if (p != zl.length - 1) throw bad();
        return out;
    }

    /** intset.c: encoding (4: 2, 4 or 8 bytes per value), count (4), sorted little-endian values. */
    static List<byte[]> intset(byte[] is) {
        if (is.length < 8) throw bad();
        int width = (int) le(is, 0, 4);
        long count = le(is, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != is.length || count == 0) throw bad();
        List<byte[]> out = new ArrayList<>((int) count);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long v = signed(le(is, 8 + i * width, width), width);
            if (i > 0 && v <= previous) throw bad(); // unsorted or duplicate: intsetValidateIntegrity refuses it
            previous = v;
            out.add(text(v));
        }
        return out;
    }

    private static long le(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (long) (b[off + i] & 0xff) << (8 * i);
        return v;
    }

    private static long signed(long v, int bytes) {
        int shift = 64 - 8 * bytes;
        return (v << shift) >> shift;
    }

    private static byte[] text(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] b, int off, int len) {
        check(b, off, len);
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        return out;
    }

    private static void check(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + (long) len > b.length) throw bad();
    }

    private static IllegalArgumentException bad() {
        return new IllegalArgumentException("corrupt packed encoding");
    }
}
