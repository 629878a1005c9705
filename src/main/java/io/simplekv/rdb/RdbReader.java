package io.simplekv.rdb;

import java.nio.charset.StandardCharsets;

/** Reads the RDB encodings Redis writes in DUMP payloads: types, lengths and strings (plain, integer, LZF). */
public final class RdbReader {
    private final byte[] data;
    private final int end;
    private int pos;

    public RdbReader(byte[] data, int from, int end) {
        this.data = data;
        this.pos = from;
        this.end = end;
    }

    /** Bytes left before the end given at construction. */
    public int remaining() {
        return end - pos;
    }

    public int readType() {
        need(1);
        return data[pos++] & 0xff;
    }

    /** rdbLoadLen: a length, or -1 - k for the special encoding k (integer or LZF strings). */
    private long readLenOrEncoding() {
        need(1);
        int first = data[pos++] & 0xff;
        int type = first >> 6;
        if (type == 0) return first & 0x3f;
        if (type == 1) {
            need(1);
            return ((first & 0x3f) << 8) | (data[pos++] & 0xff);
        }
        if (type == 3) return -1 - (first & 0x3f);
        if (first == 0x80) return readBigEndian(4);
        if (first == 0x81) {
            long v = readBigEndian(8);
            if (v < 0) throw new IllegalArgumentException("length too big"); // past 2^63: only readLength takes it
            return v;
        }
        throw new IllegalArgumentException("bad length encoding");
    }

    /**
     * rdbLoadLen: an unsigned 64-bit length, so past 2^63 it comes back negative (a stream group's unknown
     * entries-read counter is saved as UINT64_MAX, read here as -1); callers that count with it refuse negatives.
     */
    public long readLength() {
        need(1);
        if ((data[pos] & 0xff) == 0x81) {
            pos++;
            return readBigEndian(8);
        }
        long n = readLenOrEncoding();
        if (n < 0) throw new IllegalArgumentException("unexpected encoded length");
        return n;
    }

    private long readBigEndian(int bytes) {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | (data[pos++] & 0xff);
        return v;
    }

    private long readLittleEndian(int bytes) {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (long) (data[pos++] & 0xff) << (8 * i);
        return v;
    }

    /** rdbGenericLoadStringObject: a string however it was written. */
    public byte[] readString() {
        long n = readLenOrEncoding();
        if (n >= 0) return readBytes(n);
        int encoding = (int) (-1 - n);
        switch (encoding) {
            case 0 -> { return Long.toString((byte) readLittleEndian(1)).getBytes(StandardCharsets.US_ASCII); }
            case 1 -> { return Long.toString((short) readLittleEndian(2)).getBytes(StandardCharsets.US_ASCII); }
            case 2 -> { return Long.toString((int) readLittleEndian(4)).getBytes(StandardCharsets.US_ASCII); }
            case 3 -> {
                long compressed = readLength(), length = readLength();
                // One 3-byte LZF back reference yields at most 264 bytes: a longer claim is a corrupt (or hostile)
                // payload, refused before it allocates.
                if (length > Integer.MAX_VALUE - 8 || length > (compressed + 1) * 90) {
                    throw new IllegalArgumentException("string too long");
                }
                return Lzf.decompress(readBytes(compressed), (int) length);
            }
            default -> throw new IllegalArgumentException("unknown string encoding " + encoding);
        }
    }

    /** Raw little-endian bytes as a number (RDB file opcodes' fixed-size fields). */
    public long readFixed(int bytes) {
        return readLittleEndian(bytes);
    }

    /** The offset of the next byte (for checksums over what was read). */
    public int position() {
        return pos;
    }

    /** rdbLoadMillisecondTime (RDB 9 and later): 8 bytes little-endian. */
    public long readMillisecondTime() {
        return readLittleEndian(8);
    }

    /** A 16-byte big-endian stream ID (a rax key); {ms, seq}. */
    public long[] readRawId() {
        return new long[] {readBigEndian(8), readBigEndian(8)};
    }

    /** rdbLoadBinaryDoubleValue: 8 bytes, little-endian IEEE 754 (ZSET_2 scores). */
    public double readBinaryDouble() {
        return DumpPayload.littleEndianDouble(readBytes(8));
    }

    /** rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf) and the number as text (old ZSET scores). */
    public double readTextDouble() {
        need(1);
        int len = data[pos++] & 0xff;
        if (len == 253) return Double.NaN;
        if (len == 254) return Double.POSITIVE_INFINITY;
        if (len == 255) return Double.NEGATIVE_INFINITY;
        return Double.parseDouble(new String(readBytes(len), StandardCharsets.US_ASCII));
    }

    private byte[] readBytes(long n) {
        if (n > end - pos) throw new IllegalArgumentException("truncated");
        byte[] b = new byte[(int) n];
        System.arraycopy(data, pos, b, 0, (int) n);
        pos += (int) n;
        return b;
    }

    private void need(int n) {
        if (end - pos < n) throw new IllegalArgumentException("truncated");
    }
}
