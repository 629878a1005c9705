package io.simplekv.rdb;

import java.io.ByteArrayOutputStream;

/**
 * Builds a listpack as Redis's listpack.c lays it out (stream nodes in DUMP payloads): each element with the
 * smallest integer or string encoding, followed by its back-length; a string that is a canonical integer is
 * stored as one, as lpAppend does.
 */
final class ListpackWriter {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int count;

    ListpackWriter add(long v) {
        int start = body.size();
        if (v >= 0 && v <= 127) {
            body.write((int) v);
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1L << 13) + v : v;
            body.write((int) (0xc0 | (u >> 8)));
            body.write((int) (u & 0xff));
        } else {
            int bytes = v >= -32768 && v <= 32767 ? 2 : v >= -8388608 && v <= 8388607 ? 3
                    : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
            body.write(switch (bytes) { case 2 -> 0xf1; case 3 -> 0xf2; case 4 -> 0xf3; default -> 0xf4; });
            for (int i = 0; i < bytes; i++) body.write((int) (v >>> (8 * i)) & 0xff);
        }
        return backlen(start);
    }

    ListpackWriter add(byte[] s) {
        Long asInteger = canonicalInteger(s);
        if (asInteger != null) return add(asInteger);
        int start = body.size();
        int len = s.length;
        if (len < 64) {
            body.write(0x80 | len);
        } else if (len < 4096) {
            body.write(0xe0 | (len >> 8));
            body.write(len & 0xff);
        } else {
            body.write(0xf0);
            for (int i = 0; i < 4; i++) body.write((len >>> (8 * i)) & 0xff);
        }
        body.write(s, 0, len);
        return backlen(start);
    }

    /** lpEncodeBacklen: the entry's length, 7 bits a byte, readable from its end. */
    private ListpackWriter backlen(int start) {
        long l = body.size() - start;
        int n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        for (int i = n - 1; i >= 0; i--) {
            int b = (int) (l >>> (7 * i)) & 127;
            body.write(i == n - 1 ? b : b | 128);
        }
        count++;
        return this;
    }

    int size() {
        return body.size();
    }

    byte[] toBytes() {
        int total = 6 + body.size() + 1;
        byte[] out = new byte[total];
        for (int i = 0; i < 4; i++) out[i] = (byte) (total >>> (8 * i));
        int c = Math.min(count, 0xffff); // 65535: "unknown, count them", as lpLength treats it
        out[4] = (byte) c;
        out[5] = (byte) (c >>> 8);
        byte[] b = body.toByteArray();
        System.arraycopy(b, 0, out, 6, b.length);
        out[total - 1] = (byte) 0xff;
        return out;
    }

    /** lpStringToInt64: a string Redis would store as an integer (no sign-only, no leading zeros, fits in 64 bits). */
    private static Long canonicalInteger(byte[] s) {
        if (s.length == 0 || s.length > 20) return null;
        if (s.length == 1 && s[0] == '0') return 0L;
        int i = s[0] == '-' ? 1 : 0;
        if (i == s.length || s[i] < '1' || s[i] > '9') return null;
        for (int j = i; j < s.length; j++) if (s[j] < '0' || s[j] > '9') return null;
        try {
            return Long.parseLong(new String(s, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
