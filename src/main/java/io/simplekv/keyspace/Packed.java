package io.simplekv.keyspace;

import java.util.Arrays;

/**
 * A run of length-prefixed byte strings, Redis's listpack in spirit: {@code [varint count] ([varint len][bytes])*}.
 * Small collections live as one such run inside their key's record, and big ones as one run per bucket, so a
 * lookup walks bytes in place without decoding every element into objects.
 */
public final class Packed {
    private Packed() {}

    public static final byte[] EMPTY = {0};

    public static int count(byte[] b, int off) {
        return readVarint(b, off);
    }

    /** Offset of the first element after the count. */
    public static int first(byte[] b, int off) {
        return off + varintSize(readVarint(b, off));
    }

    public static int length(byte[] b, int at) {
        return readVarint(b, at);
    }

    /** Offset of an element's bytes, given the offset of its length prefix. */
    public static int dataOffset(byte[] b, int at) {
        return at + varintSize(readVarint(b, at));
    }

    /** Offset of the element after the one at {@code at}. */
    public static int next(byte[] b, int at) {
        int len = readVarint(b, at);
        return at + varintSize(len) + len;
    }

    public static byte[] element(byte[] b, int at) {
        int off = dataOffset(b, at);
        return Arrays.copyOfRange(b, off, off + readVarint(b, at));
    }

    public static boolean elementEquals(byte[] b, int at, byte[] other) {
        int len = readVarint(b, at);
        if (len != other.length) return false;
        int off = dataOffset(b, at);
        return Arrays.equals(b, off, off + len, other, 0, len);
    }

    /** Builds a run; used whenever a run changes (runs are small, so rewriting one is cheap and simple). */
    public static final class Builder {
        private byte[] body = new byte[64];
        private int used;
        private int count;

        public Builder add(byte[] element) {
            return add(element, 0, element.length);
        }

        public Builder add(byte[] src, int off, int len) {
            ensure(5 + len);
            used = putVarint(body, used, len);
            System.arraycopy(src, off, body, used, len);
            used += len;
            count++;
            return this;
        }

        /** Copies the element at {@code at} of another run without decoding it. */
        public Builder copy(byte[] run, int at) {
            int end = next(run, at);
            ensure(end - at);
            System.arraycopy(run, at, body, used, end - at);
            used += end - at;
            count++;
            return this;
        }
        public byte[] build() {
            byte[] out = new byte[varintSize(count) + used];
            int at = putVarint(out, 0, count);
            System.arraycopy(body, 0, out, at, used);
            return out;
        }

        private void ensure(int more) {
            if (used + more > body.length) body = Arrays.copyOf(body, Math.max(body.length * 2, used + more));
        }
    }

    static int readVarint(byte[] b, int at) {
        int v = 0, shift = 0;
        while (true) {
            int x = b[at++] & 0xff;
            v |= (x & 0x7f) << shift;
            if (x < 0x80) return v;
            shift += 7;
        }
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    static int putVarint(byte[] out, int at, int v) {
        while ((v & ~0x7f) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }
}
