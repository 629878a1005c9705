package io.simplekv.rdb;

import io.simplekv.text.RedisNumbers;

import java.io.ByteArrayOutputStream;

/**
 * Writes Redis's RDB encodings for DUMP payloads: types, lengths and plain strings, and the footer DUMP adds (the
 * 2-byte RDB version and the CRC-64 of everything before it, both little-endian).
 */
public final class RdbWriter {
    /** The RDB version Redis 7.0 writes. */
    public static final int RDB_VERSION = 10;

    /** Redis's RDB_ENC_INT8/16/32 and RDB_ENC_LZF string encodings (after the 0b11 length prefix). */
    private static final int ENC_INT8 = 0xC0, ENC_INT16 = 0xC1, ENC_INT32 = 0xC2, ENC_LZF = 0xC3;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Null: strings are written without LZF ({@code rdbcompression no}). */
    private final LzfCompressor compressor;

    /** A writer that does not compress (a nested value, or {@code rdbcompression no}). */
    public RdbWriter() {
        this(null);
    }

    /** A writer that compresses strings over 20 bytes with this compressor, as {@code rdbcompression yes}. */
    public RdbWriter(LzfCompressor compressor) {
        this.compressor = compressor;
    }

    public RdbWriter type(int type) {
        out.write(type);
        return this;
    }

    /** rdbSaveLen. */
    public RdbWriter length(long n) {
        if (n < 0) { // an unsigned 64-bit value (a stream group's unknown entries-read counter is UINT64_MAX)
            out.write(0x81);
            for (int i = 7; i >= 0; i--) out.write((int) (n >>> (8 * i)) & 0xff);
        } else if (n < 64) {
            out.write((int) n);
        } else if (n < 16384) {
            out.write(0x40 | (int) (n >> 8));
            out.write((int) n & 0xff);
        } else if (n <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) out.write((int) (n >>> (8 * i)) & 0xff);
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) out.write((int) (n >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /**
     * rdbSaveRawString: a string of at most 11 bytes that is an integer's canonical text as that integer (if it fits
     * 32 bits), one over 20 bytes as LZF when compressing and that saves 4 bytes, any other plainly.
     */
    public RdbWriter string(byte[] b) {
        if (b.length <= 11 && integer(b)) return this;
        if (compressor != null && b.length > 20) {
            byte[] packed = compressor.compress(b);
            if (packed != null) {
                out.write(ENC_LZF);
                length(packed.length);
                length(b.length);
                out.write(packed, 0, packed.length);
                return this;
            }
        }
        length(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** rdbTryIntegerEncoding: written as an integer only if that integer prints back as exactly these bytes. */
    private boolean integer(byte[] b) {
        // string2ll's canonical form (no '+', no leading zero, no "-0") is exactly what prints back the same.
        if (!RedisNumbers.isLong(b, 0, b.length)) return false;
        long v = RedisNumbers.parseLong(b);
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            out.write(ENC_INT8);
            out.write((int) v & 0xff);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            out.write(ENC_INT16);
            out.write((int) v & 0xff);
            out.write((int) (v >> 8) & 0xff);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(ENC_INT32);
            for (int i = 0; i < 4; i++) out.write((int) (v >> (8 * i)) & 0xff);
        } else {
            return false;
        }
        return true;
    }

    /** A stream ID as rax keys hold it: 16 bytes, big-endian ms then seq. */
    public RdbWriter rawId(long ms, long seq) {
        for (int i = 7; i >= 0; i--) out.write((int) (ms >>> (8 * i)) & 0xff);
        for (int i = 7; i >= 0; i--) out.write((int) (seq >>> (8 * i)) & 0xff);
        return this;
    }

    /** rdbSaveMillisecondTime: 8 bytes little-endian. */
    public RdbWriter millisecondTime(long t) {
        for (int i = 0; i < 8; i++) out.write((int) (t >>> (8 * i)) & 0xff);
        return this;
    }

    /** What was written so far, without DUMP's footer (a nested value, such as a stream node's key). */
    public byte[] body() {
        return out.toByteArray();
    }

    /** Bytes already in RDB encoding. */
    public RdbWriter raw(byte[] encoded) {
        out.write(encoded, 0, encoded.length);
        return this;
    }

    /** rdbSaveBinaryDoubleValue: a ZSET_2 score, 8 bytes little-endian. */
    public RdbWriter binaryDouble(double d) {
        long bits = Double.doubleToLongBits(d);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)) & 0xff);
        return this;
    }

    /** The payload with DUMP's footer. */
    public byte[] withFooter() {
        out.write(RDB_VERSION & 0xff);
        out.write((RDB_VERSION >> 8) & 0xff);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        byte[] all = new byte[body.length + 8];
        System.arraycopy(body, 0, all, 0, body.length);
        for (int i = 0; i < 8; i++) all[body.length + i] = (byte) (crc >>> (8 * i));
        return all;
    }

    /** verifyDumpPayload: the RDB version (at most ours) and the CRC-64; the version, or -1 if either is wrong. */
    public static int verifyFooter(byte[] payload) {
        if (payload.length < 10) return -1;
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xff) | ((payload[footer + 1] & 0xff) << 8);
        if (version > RDB_VERSION) return -1;
        long crc = Crc64.of(payload, 0, payload.length - 8);
        for (int i = 0; i < 8; i++) {
            if (payload[footer + 2 + i] != (byte) (crc >>> (8 * i))) return -1;
        }
        return version;
    }
}
