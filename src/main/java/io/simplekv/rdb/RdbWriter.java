package io.simplekv.rdb;

import java.io.ByteArrayOutputStream;

/**
 * Writes Redis's RDB encodings for DUMP payloads: types, lengths and plain strings, and the footer DUMP adds (the
 * 2-byte RDB version and the CRC-64 of everything before it, both little-endian).
 */
public final class RdbWriter {
    /** The RDB version Redis 7.0 writes. */
    public static final int RDB_VERSION = 10;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

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

    /** A string written plainly (Redis may compress; every reader takes plain strings). */
    public RdbWriter string(byte[] b) {
        length(b.length);
        out.write(b, 0, b.length);
        return this;
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
