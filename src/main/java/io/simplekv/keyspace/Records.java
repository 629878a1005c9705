package io.simplekv.keyspace;

/**
 * The record stored under a user key: {@code [header][expireAt: 8 bytes, only if the TTL flag is set][payload]}.
 * The header's low 4 bits are the {@link KeyType} code; bit 4 says a TTL follows; bit 5 marks a string that was
 * modified in place (APPEND, SETRANGE), which Redis reports as encoding "raw". Keys without a TTL pay one byte.
 * Static helpers over the raw array keep the hot path free of wrapper objects.
 */
public final class Records {
    private Records() {}

    private static final int TYPE_MASK = 0x0f;
    private static final int HAS_TTL = 0x10;
    private static final int RAW_STRING = 0x20;
    public static final long NO_EXPIRY = -1;

    public static byte[] encode(KeyType type, long expireAt, byte[] payload, int off, int len, boolean raw) {
        boolean ttl = expireAt != NO_EXPIRY;
        int head = ttl ? 9 : 1;
        byte[] r = new byte[head + len];
        r[0] = (byte) (type.code | (ttl ? HAS_TTL : 0) | (raw ? RAW_STRING : 0));
        if (ttl) putLong(r, 1, expireAt);
        System.arraycopy(payload, off, r, head, len);
        return r;
    }

    public static byte[] string(byte[] value, long expireAt) {
        return encode(KeyType.STRING, expireAt, value, 0, value.length, false);
    }

    /** The same record with another expiry, payload copied once. */
    public static byte[] withExpiry(byte[] record, long expireAt) {
        int off = payloadOffset(record);
        return encode(type(record), expireAt, record, off, record.length - off, isRaw(record));
    }

    public static KeyType type(byte[] record) {
        return KeyType.ofCode(record[0] & TYPE_MASK);
    }

    public static boolean isRaw(byte[] record) {
        return (record[0] & RAW_STRING) != 0;
    }

    public static long expireAt(byte[] record) {
        return (record[0] & HAS_TTL) != 0 ? getLong(record, 1) : NO_EXPIRY;
    }

    public static int payloadOffset(byte[] record) {
        return (record[0] & HAS_TTL) != 0 ? 9 : 1;
    }

    public static int payloadLength(byte[] record) {
        return record.length - payloadOffset(record);
    }

    public static byte[] payload(byte[] record) {
        int off = payloadOffset(record);
        byte[] p = new byte[record.length - off];
        System.arraycopy(record, off, p, 0, p.length);
        return p;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }
}
